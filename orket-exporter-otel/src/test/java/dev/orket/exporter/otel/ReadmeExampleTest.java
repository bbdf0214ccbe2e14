package dev.orket.exporter.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The README's example compiles and runs")
class ReadmeExampleTest {

    @Test
    @DisplayName("execute a run, export it over OTLP/HTTP, close to flush")
    void exportOneRun() throws IOException {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            URI endpoint = receiver.endpoint();
            VirtualClock clock = new VirtualClock();
            InferenceProvider provider = ScriptedRuns.replay(clock, ScriptedRuns.STREAMING_CHAT);
            RunExecutor executor = RunExecutor.builder().clock(clock).build();
            RunRequest request = ScriptedRuns.streamingChatRequest();

            // README from here
            try (OtelRunExporter exporter = OtelRunExporter.otlpHttp(endpoint)) {
                RunResult result = executor.execute(provider, request);
                exporter.export(request, result.telemetry());
            }
            // README to here

            assertThat(receiver.spans()).extracting(Span::getName).containsExactly("chat tiny-q4");
        }
    }
}
