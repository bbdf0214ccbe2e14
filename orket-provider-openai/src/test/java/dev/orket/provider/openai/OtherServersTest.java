package dev.orket.provider.openai;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.Await;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the provider makes of the servers it was not captured against, from the shapes their code and docs define
 * (no capture of these servers exists in the project): vLLM's per-request {@code metrics} ({@code
 * docs/features/per_request_metrics.md}, {@code PerRequestMetrics} in {@code vllm/entrypoints}), a server without
 * timings (SGLang, TGI, LM Studio on {@code /v1}), and the error shapes of vLLM/SGLang ({@code ErrorResponse}), OpenAI
 * and TGI ({@code {"error":"...","error_type":"..."}}). Each runs over loopback HTTP on the virtual clock.
 */
class OtherServersTest {

    private static final String CHUNK = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":%s},\"logprobs\":null,"
            + "\"finish_reason\":%s%s}]}";

    private static String chunk(String content, String finish) {
        return String.format(CHUNK, content, finish, "");
    }

    /** A 200 event stream: head at 5 ms, one chunk per entry (text chunks 10 ms apart from 40 ms), the end. */
    static Script stream(String... events) {
        Script.Builder builder = Script.builder(200).header("Content-Type", "text/event-stream").chunked()
                .head(Duration.ofMillis(5), Await.RESPONSE_STARTED);
        Duration at = Duration.ofMillis(40);
        boolean first = true;
        for (String event : events) {
            // A text chunk is a whole JSON object with non-empty content; a broken one causes a failure, not a token.
            boolean text = event.contains("\"content\":\"") && !event.contains("\"content\":\"\"")
                    && event.endsWith("}");
            if (text && !first) {
                at = at.plusMillis(10);
            }
            first &= !text;
            builder.data(at, ("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8),
                    text ? Await.CONTENT : Await.NOTHING);
        }
        return builder.end(at, Await.TERMINAL).build();
    }

    static Script json(int status, String body) {
        return Script.fixed(status, "application/json", body.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(30),
                Await.TERMINAL);
    }

    static RunResult run(Script script, boolean stream) {
        VirtualClock clock = new VirtualClock();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                OpenAiProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(script);
            RunResult result = RunExecutor.builder().clock(clock).listener(server.lockstep()).build()
                    .execute(provider, Runs.request(PromptStyle.CHAT, stream));
            assertThat(server.lockstepMisses()).isEmpty();
            return result;
        }
    }

    @Nested
    @DisplayName("vLLM with --enable-per-request-metrics")
    class Vllm {

        private static final String USAGE = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"total_tokens\":45,"
                + "\"completion_tokens\":3,\"prompt_tokens_details\":null},\"metrics\":{\"time_to_first_token_ms\":85.2,"
                + "\"generation_time_ms\":1240.5,\"queue_time_ms\":12.3,\"mean_itl_ms\":9.1,\"tokens_per_second\":103.2}}";

        @Test
        @DisplayName("a stream's usage chunk gives the counts and metrics give the durations; queue time is not model time")
        void streamed() {
            RunTelemetry t = run(stream(chunk("\"\"", "null").replace("{\"content\":\"\"}",
                    "{\"role\":\"assistant\",\"content\":\"\"}"), chunk("\"Paris\"", "null"), chunk("\" is\"", "null"),
                    chunk("\" it\"", "null"), chunk("\"\"", "\"length\""), USAGE, "[DONE]"), true).telemetry();
            assertThat(t).isCompleted().hasTokenMetricsStatus(TokenMetricsStatus.OK).hasPromptTokens(42)
                    .hasOutputTokens(3).hasServerPromptMs(85.2).hasServerGenerationMs(1240.5)
                    .hasInternalModelSeconds((85.2 + 1240.5) / 1000).hasClientTtftMs(40.0).hasWallSeconds(0.060)
                    .hasChunkCount(3).hasFinishReason(FinishReason.LENGTH);
            assertThat(t).hasNoCachedPromptTokens(UnavailableReason.NOT_REPORTED_BY_SERVER);
        }

        @Test
        @DisplayName("a whole body's metrics give the durations")
        void whole() {
            RunTelemetry t = run(json(200, "{\"id\":\"cmpl-1\",\"object\":\"chat.completion\",\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Paris.\","
                    + "\"reasoning\":null},\"finish_reason\":\"stop\",\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":42,"
                    + "\"completion_tokens\":128,\"total_tokens\":170,\"prompt_tokens_details\":{\"cached_tokens\":32}},"
                    + "\"metrics\":{\"time_to_first_token_ms\":85.2,\"generation_time_ms\":1240.5,\"queue_time_ms\":12.3,"
                    + "\"mean_itl_ms\":9.1,\"tokens_per_second\":103.2}}"), false).telemetry();
            assertThat(t).isCompleted().hasTokenMetricsStatus(TokenMetricsStatus.OK).hasPromptTokens(42)
                    .hasCachedPromptTokens(32).hasOutputTokens(128).hasServerPromptMs(85.2)
                    .hasServerGenerationMs(1240.5).hasWallSeconds(0.030).hasFinishReason(FinishReason.STOP);
        }

        @Test
        @DisplayName("a stop_reason naming a string is the caller's stop sequence")
        void stopSequence() {
            RunTelemetry t = run(json(200, "{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"a b\","
                    + "\"finish_reason\":\"stop\",\"stop_reason\":\"c\"}],\"usage\":{\"prompt_tokens\":3,"
                    + "\"completion_tokens\":3}}"), false).telemetry();
            assertThat(t).isCompleted().hasFinishReason(FinishReason.STOP_SEQUENCE);
        }
    }

    @Nested
    @DisplayName("a server that reports no durations (SGLang, TGI, LM Studio on /v1)")
    class NoTimings {

        @Test
        @DisplayName("completes with its counts, TIMING_UNAVAILABLE, and MISSING_TOKEN_TIMINGS saying why")
        void timingUnavailable() {
            RunTelemetry t = run(stream(chunk("\"Hi\"", "null"), chunk("\" there\"", "\"stop\""),
                    "{\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,"
                            + "\"completion_tokens\":2,\"total_tokens\":9}}", "[DONE]"), true).telemetry();
            assertThat(t).isCompleted().hasTokenMetricsStatus(TokenMetricsStatus.TIMING_UNAVAILABLE)
                    .hasPromptTokens(7).hasOutputTokens(2).hasQualityReason(RunQualityReason.MISSING_TOKEN_TIMINGS)
                    .isInvalid();
            assertThat(t.tokenMetrics().serverPromptMs().unavailableReason()).isEqualTo(UnavailableReason.NOT_REPORTED_BY_SERVER);
            assertThat(t.internalModelSeconds().unavailableReason()).isEqualTo(UnavailableReason.INPUT_UNAVAILABLE);
            assertThat(t.qualityDetails().get(RunQualityReason.MISSING_TOKEN_TIMINGS))
                    .contains("neither llama-server's \"timings\" nor vLLM's \"metrics\"")
                    .contains("--enable-per-request-metrics");
        }

        @Test
        @DisplayName("a server that sends no usage either is TOKEN_AND_TIMING_UNAVAILABLE, still completed")
        void nothing() {
            RunTelemetry t = run(stream(chunk("\"Hi\"", "null"), chunk("\"\"", "\"stop\""), "[DONE]"), true)
                    .telemetry();
            assertThat(t).isCompleted().hasTokenMetricsStatus(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE)
                    .hasChunkCount(1);
        }

        @Test
        @DisplayName("reasoning deltas count for the first token, not for the answer's text")
        void reasoning() {
            RunResult result = run(stream(
                    "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Think\"},\"finish_reason\":null}]}",
                    chunk("\"Paris\"", "null"), chunk("\"\"", "\"stop\""), "[DONE]"), true);
            assertThat(result.outputText()).isEqualTo("Paris");
            assertThat(result.telemetry()).isCompleted().hasChunkCount(2).hasClientTtftMs(40.0);
        }
    }

    @Nested
    @DisplayName("error shapes")
    class Errors {

        private RunTelemetry failed(int status, String body) {
            return run(json(status, body), false).telemetry();
        }

        @Test
        @DisplayName("vLLM's 404 for a model it does not serve is MODEL_NOT_FOUND")
        void vllmModelNotFound() {
            RunTelemetry t = failed(404, "{\"object\":\"error\",\"message\":\"The model `tiny` does not exist.\","
                    + "\"type\":\"NotFoundError\",\"param\":null,\"code\":404}");
            assertThat(t).hasFailed(FailureKind.MODEL_NOT_FOUND).hasHttpStatus(404);
            assertThat(t.outcome().failureMessage()).contains("The model `tiny` does not exist.")
                    .contains("POST /v1/chat/completions");
        }

        @Test
        @DisplayName("vLLM's 400 for a prompt over max_model_len is CONTEXT_EXCEEDED with PROMPT_TRUNCATED")
        void vllmContext() {
            RunTelemetry t = failed(400, "{\"error\":{\"message\":\"This model's maximum context length is 2048 tokens."
                    + " However, you requested 3000 tokens (2984 in the messages, 16 in the completion).\","
                    + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}");
            assertThat(t).hasFailed(FailureKind.CONTEXT_EXCEEDED).hasQualityReason(RunQualityReason.PROMPT_TRUNCATED);
        }

        @Test
        @DisplayName("OpenAI's context_length_exceeded code is CONTEXT_EXCEEDED")
        void openAiContext() {
            assertThat(failed(400, "{\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\","
                    + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"))
                    .hasFailed(FailureKind.CONTEXT_EXCEEDED);
        }

        @Test
        @DisplayName("TGI's 422 validation error over the token bound is CONTEXT_EXCEEDED")
        void tgiContext() {
            assertThat(failed(422, "{\"error\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be"
                    + " <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`\",\"error_type\":\"validation\"}"))
                    .hasFailed(FailureKind.CONTEXT_EXCEEDED);
        }

        @Test
        @DisplayName("TGI's 429 is SERVER_BUSY with its words")
        void tgiOverloaded() {
            RunTelemetry t = failed(429, "{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}");
            assertThat(t).hasFailed(FailureKind.SERVER_BUSY);
            assertThat(t.outcome().failureMessage()).contains("Model is overloaded (overloaded)");
        }

        @Test
        @DisplayName("a plain-text error page goes by its status, with its text in the message")
        void plainText() {
            RunTelemetry t = run(Script.fixed(500, "text/plain", "Internal Server Error".getBytes(StandardCharsets.UTF_8),
                    Duration.ofMillis(30), Await.TERMINAL), false).telemetry();
            assertThat(t).hasFailed(FailureKind.SERVER_ERROR).hasHttpStatus(500);
            assertThat(t.outcome().failureMessage()).contains("Internal Server Error");
        }

        @Test
        @DisplayName("a TGI error event inside a stream is STREAM_ERROR")
        void streamError() {
            RunTelemetry t = run(stream(chunk("\"Hi\"", "null"), "{\"error\":\"Request failed during generation:"
                    + " Server error: CUDA out of memory\",\"error_type\":\"generation\"}"), true).telemetry();
            assertThat(t).hasFailed(FailureKind.STREAM_ERROR).hasHttpStatus(200).hasChunkCount(1);
            assertThat(t.outcome().failureMessage()).contains("CUDA out of memory");
        }

        @Test
        @DisplayName("a 200 JSON object without choices is not a completion: MALFORMED_RESPONSE naming the field")
        void noChoices() {
            RunTelemetry t = failed(200, "{\"object\":\"list\",\"data\":[]}");
            assertThat(t).hasFailed(FailureKind.MALFORMED_RESPONSE);
            assertThat(t.outcome().failureMessage()).contains("without \"choices\"").contains("'list'");
        }

        @Test
        @DisplayName("a JSON body answering a streaming request is MALFORMED_RESPONSE")
        void jsonForAStream() {
            RunTelemetry t = run(json(200, "{\"choices\":[]}"), true).telemetry();
            assertThat(t).hasFailed(FailureKind.MALFORMED_RESPONSE);
            assertThat(t.outcome().failureMessage()).contains("instead of text/event-stream");
        }

        @Test
        @DisplayName("a stream that ends without data: [DONE] is INCOMPLETE_RESPONSE, the chunks counted")
        void noDone() {
            RunTelemetry t = run(stream(chunk("\"Hi\"", "null"), chunk("\"\"", "\"stop\"")), true).telemetry();
            assertThat(t).hasFailed(FailureKind.INCOMPLETE_RESPONSE).hasChunkCount(1);
            assertThat(t.outcome().failureMessage()).contains("without data: [DONE]")
                    .contains("a finish_reason came");
        }

        @Test
        @DisplayName("a broken chunk is MALFORMED_RESPONSE naming the chunk")
        void brokenChunk() {
            RunTelemetry t = run(stream(chunk("\"Hi\"", "null"), "{\"choices\":[{\"delta\":{\"content\":\"x"), true)
                    .telemetry();
            assertThat(t).hasFailed(FailureKind.MALFORMED_RESPONSE);
            assertThat(t.outcome().failureMessage()).contains("chunk 2 of");
        }
    }
}
