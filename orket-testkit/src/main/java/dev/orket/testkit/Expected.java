package dev.orket.testkit;

import dev.orket.simulator.server.Answer;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ServerDialect;
import org.jspecify.annotations.Nullable;

/** The exact telemetry a correct provider records for a scripted answer on a timeline. */
final class Expected {

    final Answer answer;
    final ScriptTimeline timeline;
    final ServerDialect dialect;

    Expected(Answer answer, ScriptTimeline timeline, ServerDialect dialect) {
        this.answer = answer;
        this.timeline = timeline;
        this.dialect = dialect;
    }

    double wallSeconds() {
        return timeline.endAt(answer.outputTokens()).toNanos() / 1e9;
    }

    double ttftMs() {
        return timeline.firstTokenAt().toNanos() / 1e6;
    }

    double timePerOutputTokenMs() {
        return timeline.tokenGap().toNanos() / 1e6;
    }

    int promptTokens() {
        return answer.promptTokens();
    }

    @Nullable Integer cachedPromptTokens() {
        return dialect.reportsCachedPromptTokens() ? Integer.valueOf(answer.cachedPromptTokens()) : null;
    }

    int outputTokens() {
        return answer.outputTokens();
    }

    double serverPromptMs() {
        return timeline.serverPromptMs();
    }

    double serverGenerationMs() {
        return timeline.serverGenerationMs(answer.outputTokens());
    }

    @Nullable Double loadMs() {
        return dialect.reportsLoadTime() ? Double.valueOf(timeline.serverLoadMs()) : null;
    }

    double internalModelSeconds() {
        double ms = serverPromptMs() + serverGenerationMs() + (loadMs() == null ? 0.0 : loadMs());
        return ms / 1000.0;
    }

    double orchestrationOverheadRatio() {
        double wall = wallSeconds();
        return Math.max(0.0, (wall - internalModelSeconds()) / wall);
    }
}
