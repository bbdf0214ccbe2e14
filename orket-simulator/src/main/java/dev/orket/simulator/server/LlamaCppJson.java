package dev.orket.simulator.server;

import static dev.orket.simulator.server.JsonFields.decimal;
import static dev.orket.simulator.server.JsonFields.quote;

import dev.orket.api.FinishReason;

/** llama-server JSON pieces shared by its native and OpenAI-compatible dialects. */
final class LlamaCppJson {

    static final String BUILD = "b10587-3f545bec";
    static final String JSON_UTF8 = "application/json; charset=utf-8";

    /** The shapes both llama.cpp dialects write. */
    static final java.util.Set<Shape> SHAPES = java.util.EnumSet.of(Shape.NORMAL, Shape.NO_TIMINGS,
            Shape.NO_COUNTS_NO_TIMINGS, Shape.ABSURD_NUMBERS);

    private LlamaCppJson() {}

    /** The {@code timings} object consistent with the timeline (per-token figures exclude the first token). */
    static String timings(Answer answer, ScriptTimeline timeline) {
        int promptN = answer.evaluatedPromptTokens();
        int predictedN = answer.outputTokens();
        double promptMs = timeline.serverPromptMs();
        double predictedMs = timeline.serverGenerationMs(predictedN);
        double promptPerToken = promptN == 0 ? 0.0 : promptMs / promptN;
        double promptPerSecond = promptMs == 0 ? 0.0 : 1000.0 / promptMs * promptN;
        double predictedPerToken = predictedN <= 1 ? 0.0 : predictedMs / (predictedN - 1);
        double predictedPerSecond = predictedN <= 1 || predictedMs == 0 ? 0.0 : 1000.0 / predictedMs * (predictedN - 1);
        return "{\"cache_n\":" + answer.cachedPromptTokens() + ",\"prompt_n\":" + promptN + ",\"prompt_ms\":"
                + decimal(promptMs) + ",\"prompt_per_token_ms\":" + decimal(promptPerToken) + ",\"prompt_per_second\":"
                + decimal(promptPerSecond) + ",\"predicted_n\":" + predictedN + ",\"predicted_ms\":"
                + decimal(predictedMs) + ",\"predicted_per_token_ms\":" + decimal(predictedPerToken)
                + ",\"predicted_per_second\":" + decimal(predictedPerSecond) + "}";
    }

    /**
     * A {@code timings} object whose numbers no real server sends: a prompt time at the edge of a double
     * ({@code 1.7e308} ms), a denormal generation time ({@code 1e-320} ms) and an output count of 9e18 (past an
     * {@code int}, inside a {@code long}). Every one must end absent with {@code IMPLAUSIBLE_SERVER_VALUE}.
     */
    static String absurdTimings(Answer answer) {
        return "{\"cache_n\":" + answer.cachedPromptTokens() + ",\"prompt_n\":" + answer.evaluatedPromptTokens()
                + ",\"prompt_ms\":1.7e308,\"prompt_per_token_ms\":1.7e308,\"prompt_per_second\":0.0,\"predicted_n\":"
                + ABSURD_COUNT + ",\"predicted_ms\":1e-320,\"predicted_per_token_ms\":0.0,"
                + "\"predicted_per_second\":1e308}";
    }

    /** An output token count past an {@code int}: 9e18. */
    static final String ABSURD_COUNT = "9000000000000000000";

    /** The timings of a shape: absent, absurd or consistent with the timeline. */
    static String timings(Answer answer, ScriptTimeline timeline, Shape shape) {
        return shape == Shape.ABSURD_NUMBERS ? absurdTimings(answer) : timings(answer, timeline);
    }

    static String stopType(FinishReason reason) {
        switch (reason) {
            case STOP:
                return "eos";
            case STOP_SEQUENCE:
                return "word";
            case LENGTH:
                return "limit";
            default:
                return "none";
        }
    }

    static String finishReason(FinishReason reason) {
        return reason == FinishReason.LENGTH ? "length" : "stop";
    }

    static String error(int code, String message, String type) {
        return "{\"error\":{\"code\":" + code + ",\"message\":" + quote(message) + ",\"type\":" + quote(type) + "}}";
    }

    /** The token id the scripts give the piece at an index (deterministic, in the tiny model's vocabulary). */
    static int tokenId(int index) {
        return 300 + (index * 37) % 700;
    }
}
