package dev.orket.core.sweep;

import dev.orket.core.quality.QualityScorer;
import dev.orket.core.quality.QualityScorers;
import dev.orket.core.quality.ScorerConfig;
import dev.orket.core.quality.ScoringInput;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Scores a session's outputs with the quality scorer it names ({@code exact}, {@code contains},
 * {@code regex}, {@code json}, {@code baseline_agreement}, or any found by ServiceLoader). The session's
 * {@code expected} is the expected text for {@code exact} and {@code contains}, the pattern for
 * {@code regex} and the optional JSON Schema for {@code json}. An output that cannot be scored (no
 * baseline yet) has no score, never a default.
 *
 * @since 0.1
 */
public final class SessionScoring implements OutputScorer {

    private final Map<String, QualityScorer> bySession = new ConcurrentHashMap<>();

    /**
     * Checks that every session names a known scorer, before the sweep spends anything.
     *
     * @throws dev.orket.api.ConfigurationException naming the session and the ids found
     */
    public static SessionScoring forSessions(Iterable<PromptSession> sessions) {
        SessionScoring scoring = new SessionScoring();
        for (PromptSession session : sessions) {
            scoring.scorerOf(session);
        }
        return scoring;
    }

    @Override
    public @Nullable Double score(PromptSession session, String output, @Nullable String baselineOutput) {
        QualityScorer scorer = scorerOf(session);
        try {
            return scorer.score(new ScoringInput(output, baselineOutput));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private QualityScorer scorerOf(PromptSession session) {
        return bySession.computeIfAbsent(session.id(), id -> QualityScorers.create(session.scorer(), config(session)));
    }

    private static ScorerConfig config(PromptSession session) {
        String expected = session.expected();
        switch (session.scorer()) {
            case "regex":
                return expected == null ? ScorerConfig.NONE : ScorerConfig.matching(expected);
            case "json":
                return expected == null ? ScorerConfig.NONE : ScorerConfig.conformingTo(expected);
            default:
                return expected == null ? ScorerConfig.NONE : ScorerConfig.expecting(expected);
        }
    }
}
