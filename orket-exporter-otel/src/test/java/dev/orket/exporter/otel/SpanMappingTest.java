package dev.orket.exporter.otel;

import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import dev.orket.api.spi.WireEvent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("One span per run, in the GenAI conventions' terms plus orket.*")
class SpanMappingTest {

    private final InMemoryOtel otel = new InMemoryOtel();

    @AfterEach
    void closeSdk() {
        otel.close();
    }

    private SpanData onlySpan(ScriptedRuns.Run run) {
        otel.export(run);
        List<SpanData> spans = otel.spans();
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    private static long epochNanos(long millisAfterStart) {
        return TimeUnit.MILLISECONDS.toNanos(ScriptedRuns.START.toEpochMilli() + millisAfterStart);
    }

    @Test
    @DisplayName("a streamed chat run: name, CLIENT kind, the record's start and end, every attribute exact")
    void streamedChat() {
        SpanData span = onlySpan(ScriptedRuns.streamingChat());

        assertThat(span.getName()).isEqualTo("chat tiny-q4");
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getStartEpochNanos()).isEqualTo(epochNanos(0));
        assertThat(span.getEndEpochNanos()).isEqualTo(epochNanos(1000));
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("dev.orket.exporter.otel");
        Attributes expected = Attributes.builder()
                .put("gen_ai.operation.name", "chat")
                .put("gen_ai.provider.name", "scripted")
                .put("gen_ai.request.model", "tiny-q4")
                .put("gen_ai.request.max_tokens", 64L)
                .put("gen_ai.request.seed", 42L)
                .put("gen_ai.request.temperature", 0.25)
                .put("gen_ai.usage.input_tokens", 16L)
                .put("gen_ai.usage.output_tokens", 9L)
                .put(stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
                .put("http.response.status_code", 200L)
                .put("orket.run_id", "sweep-7/tiny/Q4_K_M/s1/r1")
                .put("orket.sweep_id", "sweep-7")
                .put("orket.session_id", "s1")
                .put("orket.model_family", "tiny")
                .put("orket.quant_tag", "Q4_K_M")
                .put("orket.stream", true)
                .put("orket.warmup", false)
                .put("orket.execution_lane", "lab")
                .put("orket.vram_profile", "stress")
                .put("orket.terminal_state", "COMPLETED")
                .put("orket.token_metrics_status", "OK")
                .put("orket.wall_seconds", 1.0)
                .put("orket.internal_model_seconds", 0.75)
                .put("orket.orchestration_overhead_ratio", 0.25)
                .put("orket.run_quality_status", "CLEAN")
                .put(stringArrayKey("orket.run_quality_reasons"), List.of())
                .put("orket.valid", true)
                .put(stringArrayKey("orket.invalid_reasons"), List.of())
                .put("orket.server_context_size", 4096L)
                .put("orket.server_build", "b10587-3f545bec")
                .put("orket.server_model_file", "tiny-Q4_K_M.gguf")
                .put("orket.served_quant_tag", "Q4_K_M")
                .put("orket.quant_tag_verified", true)
                .put("orket.server_total_slots", 1L)
                .put("orket.server_model_family", "llama")
                .put("orket.server_parameter_size", "1.1B")
                .put(stringArrayKey("orket.hardware_flags"), List.of())
                .build();
        assertThat(span.getAttributes().asMap()).isEqualTo(expected.asMap());
    }

    @Test
    @DisplayName("a non-streamed completion: text_completion; unset request parameters and missing timings are absent")
    void nonStreamedCompletionLeavesAbsentValuesOut() {
        SpanData span = onlySpan(ScriptedRuns.nonStreamingCompletion());

        assertThat(span.getName()).isEqualTo("text_completion tiny-f16");
        assertThat(span.getEndEpochNanos()).isEqualTo(epochNanos(500));
        Attributes expected = Attributes.builder()
                .put("gen_ai.operation.name", "text_completion")
                .put("gen_ai.provider.name", "scripted")
                .put("gen_ai.request.model", "tiny-f16")
                .put("gen_ai.usage.input_tokens", 4L)
                .put("gen_ai.usage.output_tokens", 6L)
                .put(stringArrayKey("gen_ai.response.finish_reasons"), List.of("length"))
                .put("http.response.status_code", 200L)
                .put("orket.run_id", "run-2")
                .put("orket.stream", false)
                .put("orket.warmup", false)
                .put("orket.execution_lane", "ci")
                .put("orket.vram_profile", "balanced")
                .put("orket.terminal_state", "COMPLETED")
                .put("orket.token_metrics_status", "TIMING_UNAVAILABLE")
                .put("orket.wall_seconds", 0.5)
                .put("orket.run_quality_status", "POLLUTED")
                .put(stringArrayKey("orket.run_quality_reasons"), List.of("MISSING_TOKEN_TIMINGS"))
                .put("orket.valid", false)
                .put(stringArrayKey("orket.invalid_reasons"),
                        List.of("run_quality:MISSING_TOKEN_TIMINGS", "token_metrics:TIMING_UNAVAILABLE"))
                .put(stringArrayKey("orket.hardware_flags"), List.of())
                .build();
        assertThat(span.getAttributes().asMap()).isEqualTo(expected.asMap());
    }

    @Test
    @DisplayName("advisory hardware flags, the connect time and the host's contention travel under orket.*")
    void hardwareFlagsConnectAndHost() {
        ScriptedRuns.Run chat = ScriptedRuns.streamingChat();
        // The record as a lab run with a sidecar, a fresh connection and a host sampler writes it.
        com.fasterxml.jackson.databind.node.ObjectNode record;
        try {
            record = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dev.orket.core.artifact.TelemetryJson.toJson(chat.telemetry()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        record.putArray("hardware_flags").add("GPU_THROTTLED");
        record.put("client_connect_ms", 7.5);
        ((com.fasterxml.jackson.databind.node.ObjectNode) record.get("metric_provenance"))
                .put("client_connect_ms", "client_measured");
        ((com.fasterxml.jackson.databind.node.ObjectNode) record.get("unavailable_reasons")).remove("client_connect_ms");
        record.put("host_cpu_percent", 97.5);
        record.put("foreign_cpu_percent", 51.0);
        SpanData span = onlySpan(new ScriptedRuns.Run(chat.request(),
                dev.orket.core.artifact.TelemetryJson.fromJson(record.toString())));

        assertThat(span.getAttributes().get(stringArrayKey("orket.hardware_flags"))).containsExactly("GPU_THROTTLED");
        assertThat(span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.doubleKey(
                "orket.client_connect_ms"))).isEqualTo(7.5);
        assertThat(span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.doubleKey(
                "orket.foreign_cpu_percent"))).isEqualTo(51.0);
        assertThat(span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.doubleKey(
                "orket.host_cpu_percent"))).isEqualTo(97.5);
        // Hardware flags are advisory: the run stays valid.
        assertThat(span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.booleanKey("orket.valid"))).isTrue();
    }

    @Test
    @DisplayName("a failed run: error.type is the failure kind, status ERROR with the kind and the message")
    void failedRun() {
        SpanData span = onlySpan(ScriptedRuns.serverError());

        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("SERVER_ERROR: slot unavailable");
        assertThat(span.getEndEpochNanos()).isEqualTo(epochNanos(250));
        assertThat(span.getAttributes().asMap())
                .containsEntry(GenAiConventions.ERROR_TYPE, "SERVER_ERROR")
                .containsEntry(GenAiConventions.HTTP_RESPONSE_STATUS_CODE, 500L)
                .containsEntry(GenAiConventions.TERMINAL_STATE, "FAILED")
                .containsEntry(GenAiConventions.VALID, false)
                .containsEntry(GenAiConventions.WALL_SECONDS, 0.25)
                .doesNotContainKeys(GenAiConventions.RESPONSE_FINISH_REASONS, GenAiConventions.USAGE_INPUT_TOKENS,
                        GenAiConventions.USAGE_OUTPUT_TOKENS, GenAiConventions.INTERNAL_MODEL_SECONDS,
                        GenAiConventions.ORCHESTRATION_OVERHEAD_RATIO);
        assertThat(span.getAttributes().get(GenAiConventions.INVALID_REASONS)).contains("terminal_state:FAILED");
    }

    @Test
    @DisplayName("a cancelled run: error.type CANCELLED, status ERROR with the cancellation reason")
    void cancelledRun() {
        SpanData span = onlySpan(ScriptedRuns.cancelled());

        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("CANCELLED: sweep interrupted");
        assertThat(span.getEndEpochNanos()).isEqualTo(epochNanos(300));
        assertThat(span.getAttributes().asMap())
                .containsEntry(GenAiConventions.ERROR_TYPE, "CANCELLED")
                .containsEntry(GenAiConventions.TERMINAL_STATE, "CANCELLED")
                .containsEntry(GenAiConventions.SERVED_QUANT_TAG, "Q8_0")
                .containsEntry(GenAiConventions.QUANT_TAG_VERIFIED, false)
                .doesNotContainKeys(GenAiConventions.RESPONSE_FINISH_REASONS, GenAiConventions.SERVER_BUILD);
    }

    @Test
    @DisplayName("a completed run carries no error.type and keeps its status UNSET")
    void completedRunHasNoErrorType() {
        SpanData span = onlySpan(ScriptedRuns.streamingChat());

        assertThat(span.getAttributes().asMap()).doesNotContainKey(GenAiConventions.ERROR_TYPE);
        assertThat(span.getStatus().getDescription()).isEmpty();
    }

    @Test
    @DisplayName("a warm-up run is exported with orket.warmup=true")
    void warmupIsLabelled() {
        ScriptedRuns.Run measured = ScriptedRuns.streamingChat();
        ScriptedRuns.Run warmup = ScriptedRuns.run(measured.request().toBuilder().warmup(true).build(), List.of(
                ScriptedRuns.at(0, new WireEvent.RequestSent()),
                ScriptedRuns.at(10, new WireEvent.Failed(
                        FailureKind.CONNECTION_REFUSED, "refused", null))));

        SpanData span = onlySpan(warmup);

        assertThat(span.getAttributes().get(GenAiConventions.WARMUP)).isTrue();
        assertThat(span.getAttributes().get(GenAiConventions.ERROR_TYPE)).isEqualTo("CONNECTION_REFUSED");
        assertThat(span.getStatus().getDescription()).isEqualTo("CONNECTION_REFUSED: refused");
    }
}
