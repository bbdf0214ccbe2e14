package dev.orket.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One run to execute: which model, which prompt, how, and the labels its telemetry record carries.
 *
 * @param runId unique id of the run, never null
 * @param sweepId the sweep the run belongs to, or null outside a sweep
 * @param sessionId the prompt session the run belongs to, or null
 * @param model the model name the server knows (Ollama tag, llama-server alias), never null
 * @param quantTag the quantization label (e.g. {@code Q4_K_M}), or null when unknown
 * @param modelFamily the model the quant belongs to, which KPIs group quants by (e.g. {@code llama3.1-8b} for the
 *     server model {@code llama3.1:8b-instruct-q4_K_M}), or null when the run is not part of a quant family
 * @param promptStyle completion or chat endpoint
 * @param prompt the prompt text (the user message for chat), never null
 * @param stream whether to stream the response
 * @param maxOutputTokens the output token limit, or null for the server's default
 * @param seed the sampling seed, or null for the server's default
 * @param temperature the sampling temperature, or null for the server's default
 * @param contextSize the context size to ask for (Ollama {@code num_ctx}), or null
 * @param threads the CPU threads to ask for where the server takes them per request (Ollama {@code num_thread}),
 *     or null for the server's default; a managed llama-server gets them at start ({@code -t})
 * @param stopSequences stop words, never null
 * @param expectColdPromptCache whether the run is meant to evaluate the prompt without cache hits
 * @param warmup whether this is a warm-up run, excluded from measurement
 * @param executionLane the lane the run is measured in
 * @param vramProfile the VRAM profile the run is measured under
 * @param timeout the client's deadline for the whole run: from the moment the provider starts the exchange
 *     (connect included) to the terminal state; when it passes the run ends {@code FAILED} / {@code TIMEOUT}
 * @param idleTimeout the longest silence the client accepts while waiting for the response's first bytes and
 *     between two pieces of its body, or null for the same as {@code timeout} (see {@link #idleGap()})
 * @since 0.1
 */
public record RunRequest(
        String runId,
        @Nullable String sweepId,
        @Nullable String sessionId,
        String model,
        @Nullable String quantTag,
        @Nullable String modelFamily,
        PromptStyle promptStyle,
        String prompt,
        boolean stream,
        @Nullable Integer maxOutputTokens,
        @Nullable Long seed,
        @Nullable Double temperature,
        @Nullable Integer contextSize,
        @Nullable Integer threads,
        List<String> stopSequences,
        boolean expectColdPromptCache,
        boolean warmup,
        ExecutionLane executionLane,
        VramProfile vramProfile,
        Duration timeout,
        @Nullable Duration idleTimeout) {

    public RunRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(promptStyle, "promptStyle");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
        Objects.requireNonNull(timeout, "timeout");
        stopSequences = List.copyOf(stopSequences);
        if (executionLane.unrecognized() || vramProfile.unrecognized()) {
            throw new IllegalArgumentException("a run is measured in a known lane and profile but was "
                    + executionLane.jsonName() + "/" + vramProfile.jsonName());
        }
        if (runId.isBlank()) {
            throw new IllegalArgumentException("runId must not be blank");
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (maxOutputTokens != null && maxOutputTokens < 0) {
            throw new IllegalArgumentException("maxOutputTokens must be >= 0 but was " + maxOutputTokens);
        }
        if (contextSize != null && contextSize <= 0) {
            throw new IllegalArgumentException("contextSize must be > 0 but was " + contextSize);
        }
        if (threads != null && threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0 but was " + threads);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
        if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
            throw new IllegalArgumentException("idleTimeout must be positive but was " + idleTimeout);
        }
    }

    /**
     * A request without a separate idle gap (it is the whole-run {@code timeout}).
     *
     * @deprecated since 0.2, use the canonical constructor or the {@link Builder}
     */
    @Deprecated
    public RunRequest(String runId, @Nullable String sweepId, @Nullable String sessionId, String model,
            @Nullable String quantTag, @Nullable String modelFamily, PromptStyle promptStyle, String prompt,
            boolean stream, @Nullable Integer maxOutputTokens, @Nullable Long seed, @Nullable Double temperature,
            @Nullable Integer contextSize, @Nullable Integer threads, List<String> stopSequences,
            boolean expectColdPromptCache, boolean warmup, ExecutionLane executionLane, VramProfile vramProfile,
            Duration timeout) {
        this(runId, sweepId, sessionId, model, quantTag, modelFamily, promptStyle, prompt, stream, maxOutputTokens,
                seed, temperature, contextSize, threads, stopSequences, expectColdPromptCache, warmup, executionLane,
                vramProfile, timeout, null);
    }

    /**
     * The idle gap in force: {@link #idleTimeout()} when set, else {@link #timeout()}; never null.
     *
     * @since 0.2
     */
    public Duration idleGap() {
        return idleTimeout != null ? idleTimeout : timeout;
    }

    /** A builder with the defaults: completion style, streaming, {@code ci} lane, {@code balanced} profile, 60 s timeout. */
    public static Builder builder(String runId, String model, String prompt) {
        return new Builder(runId, model, prompt);
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder builder = new Builder(runId, model, prompt);
        builder.sweepId = sweepId;
        builder.sessionId = sessionId;
        builder.quantTag = quantTag;
        builder.modelFamily = modelFamily;
        builder.promptStyle = promptStyle;
        builder.stream = stream;
        builder.maxOutputTokens = maxOutputTokens;
        builder.seed = seed;
        builder.temperature = temperature;
        builder.contextSize = contextSize;
        builder.threads = threads;
        builder.stopSequences = stopSequences;
        builder.expectColdPromptCache = expectColdPromptCache;
        builder.warmup = warmup;
        builder.executionLane = executionLane;
        builder.vramProfile = vramProfile;
        builder.timeout = timeout;
        builder.idleTimeout = idleTimeout;
        return builder;
    }

    /** Builds a {@link RunRequest}; every setter returns this builder. */
    public static final class Builder {
        private String runId;
        private @Nullable String sweepId;
        private @Nullable String sessionId;
        private String model;
        private @Nullable String quantTag;
        private @Nullable String modelFamily;
        private PromptStyle promptStyle = PromptStyle.COMPLETION;
        private String prompt;
        private boolean stream = true;
        private @Nullable Integer maxOutputTokens;
        private @Nullable Long seed;
        private @Nullable Double temperature;
        private @Nullable Integer contextSize;
        private @Nullable Integer threads;
        private List<String> stopSequences = List.of();
        private boolean expectColdPromptCache;
        private boolean warmup;
        private ExecutionLane executionLane = ExecutionLane.CI;
        private VramProfile vramProfile = VramProfile.BALANCED;
        private Duration timeout = Duration.ofSeconds(60);
        private @Nullable Duration idleTimeout;

        private Builder(String runId, String model, String prompt) {
            this.runId = runId;
            this.model = model;
            this.prompt = prompt;
        }

        public Builder runId(String value) {
            this.runId = value;
            return this;
        }

        public Builder sweepId(@Nullable String value) {
            this.sweepId = value;
            return this;
        }

        public Builder sessionId(@Nullable String value) {
            this.sessionId = value;
            return this;
        }

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder quantTag(@Nullable String value) {
            this.quantTag = value;
            return this;
        }

        public Builder modelFamily(@Nullable String value) {
            this.modelFamily = value;
            return this;
        }

        public Builder promptStyle(PromptStyle value) {
            this.promptStyle = value;
            return this;
        }

        public Builder prompt(String value) {
            this.prompt = value;
            return this;
        }

        public Builder stream(boolean value) {
            this.stream = value;
            return this;
        }

        public Builder maxOutputTokens(@Nullable Integer value) {
            this.maxOutputTokens = value;
            return this;
        }

        public Builder seed(@Nullable Long value) {
            this.seed = value;
            return this;
        }

        public Builder temperature(@Nullable Double value) {
            this.temperature = value;
            return this;
        }

        public Builder contextSize(@Nullable Integer value) {
            this.contextSize = value;
            return this;
        }

        public Builder threads(@Nullable Integer value) {
            this.threads = value;
            return this;
        }

        public Builder stopSequences(List<String> value) {
            this.stopSequences = value;
            return this;
        }

        public Builder expectColdPromptCache(boolean value) {
            this.expectColdPromptCache = value;
            return this;
        }

        public Builder warmup(boolean value) {
            this.warmup = value;
            return this;
        }

        public Builder executionLane(ExecutionLane value) {
            this.executionLane = value;
            return this;
        }

        public Builder vramProfile(VramProfile value) {
            this.vramProfile = value;
            return this;
        }

        /** The whole-run deadline; see {@link RunRequest#timeout()}. */
        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** The idle gap, or null for the same as the timeout; see {@link RunRequest#idleTimeout()}. */
        public Builder idleTimeout(@Nullable Duration value) {
            this.idleTimeout = value;
            return this;
        }

        public RunRequest build() {
            return new RunRequest(runId, sweepId, sessionId, model, quantTag, modelFamily, promptStyle, prompt, stream,
                    maxOutputTokens, seed, temperature, contextSize, threads, stopSequences, expectColdPromptCache,
                    warmup, executionLane, vramProfile, timeout, idleTimeout);
        }
    }
}
