package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.orket.api.PromptStyle;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.RecordedExchange;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every run capture through the testkit's scripted server on a virtual clock in lock-step
 * with the recorder: the same canonical results as the byte replay, plus exact client times
 * (time to first token and wall time come from the script's timeline, not the machine).
 */
class ScriptedFixtureReplayTest {

    private static final ScriptTimeline TIMELINE = ScriptTimeline.DEFAULT;

    static List<FixtureReplayTest.Row> rows() {
        return FixtureReplayTest.rows();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @DisplayName("a capture replayed on the virtual clock gives its canonical result and exact client times")
    void replay(FixtureReplayTest.Row row) {
        Fixture fixture = Fixture.load(row.fixture());
        RecordedExchange exchange = RecordedExchange.parse(concat(fixture.request(), fixture.response()));
        PromptStyle style = fixture.requestLine().contains(" /completion ") || !fixture.requestLine().startsWith("POST")
                ? PromptStyle.COMPLETION : PromptStyle.CHAT;
        boolean stream = fixture.requestBody().contains("\"stream\":true");
        VirtualClock clock = new VirtualClock();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(exchange.toScript(TIMELINE));
            RunExecutor executor = RunExecutor.builder().clock(clock).listener(server.lockstep()).build();
            RunResult result = executor.execute(provider, Runs.request(style, stream));
            RunTelemetry t = result.telemetry();
            assertThat(t.outcome().terminalState()).as("terminal state").isEqualTo(row.state());
            assertThat(t.outcome().failureKind()).as("failure kind").isEqualTo(row.kind());
            assertThat(t.outcome().httpStatus()).as("http status").isEqualTo(row.httpStatus());
            assertThat(t.outcome().finishReason()).as("finish reason").isEqualTo(row.finish());
            assertThat(t.tokenMetrics().chunkCount()).as("chunks").isEqualTo(row.chunks());
            if (row.state() == TerminalState.COMPLETED) {
                assertThat(t.tokenMetrics().outputTokens().value()).isEqualTo(row.outputTokens().doubleValue());
                // The script times chunks that carry text; a stop-word token event has empty content.
                int textChunks = (int) exchange.response().chunks().stream().filter(RecordedExchange::carriesText).count();
                Duration wall = row.chunks() == 0 ? TIMELINE.firstTokenAt() : TIMELINE.endAt(textChunks);
                assertThat(t.wallSeconds().value()).as("wall seconds").isCloseTo(wall.toNanos() / 1e9, within(1e-9));
                if (row.chunks() > 0) {
                    assertThat(t.tokenMetrics().clientTtftMs().value()).as("client TTFT ms")
                            .isCloseTo(TIMELINE.firstTokenAt().toNanos() / 1e6, within(1e-9));
                } else {
                    assertThat(t.tokenMetrics().clientTtftMs().value()).as("client TTFT ms").isNull();
                }
            }
            assertThat(server.lockstepMisses()).isEmpty();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
