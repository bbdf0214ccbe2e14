package dev.orket.api;

/**
 * Why a metric of a telemetry record has no value. Unknown is explicit, never {@code 0} or {@code -1}.
 *
 * @since 0.1
 */
public enum UnavailableReason implements JsonNamed {
    /** A non-streaming call never observes a first token; TTFT is not back-filled with wall time. */
    NOT_STREAMING("not_streaming"),
    /** The run produced no output token, so there is no first token and no per-token time. */
    NO_OUTPUT_TOKENS("no_output_tokens"),
    /** Too few output tokens for a per-token interval (it needs at least two). */
    TOO_FEW_OUTPUT_TOKENS("too_few_output_tokens"),
    /** The server did not report the figure this metric is made from. */
    NOT_REPORTED_BY_SERVER("not_reported_by_server"),
    /** The run ended (failed or cancelled) before the figure could be observed. */
    RUN_ENDED_EARLY("run_ended_early"),
    /** A figure this metric is derived from is itself unavailable. */
    INPUT_UNAVAILABLE("input_unavailable"),
    /** The divisor was zero, so a rate or ratio is undefined. */
    ZERO_DURATION("zero_duration"),
    /** Prompt tokens were served from the KV cache, so a prompt speed would be meaningless. */
    PROMPT_CACHE_HIT("prompt_cache_hit"),
    /**
     * The request went out on a connection an earlier exchange left open, so the run opened none of its own (or the
     * client cannot tell a reconnect apart from reuse).
     *
     * @since 0.2
     */
    CONNECTION_REUSED("connection_reused"),
    /**
     * The provider did not report the client-side event the metric is measured from (a provider that does not use
     * Orket's transport).
     *
     * @since 0.2
     */
    NOT_REPORTED_BY_PROVIDER("not_reported_by_provider"),
    /**
     * The server reported a value that is not finite, negative, or outside the documented plausible bounds
     * ({@code docs/telemetry.md}); the value is in {@code run_quality_details} under {@code IMPLAUSIBLE_SERVER_VALUE}.
     */
    IMPLAUSIBLE_SERVER_VALUE("implausible_server_value"),
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED("unrecognized");

    private final String jsonName;

    UnavailableReason(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static UnavailableReason fromJson(String jsonName) {
        return JsonNamed.fromJson(UnavailableReason.class, jsonName);
    }
}
