package dev.orket.testkit;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Capability;
import dev.orket.api.FailureKind;
import dev.orket.api.RunTelemetry;
import dev.orket.api.UnavailableReason;
import dev.orket.api.spi.WireEvent;
import dev.orket.simulator.server.Answer;
import dev.orket.simulator.server.ScriptTimeline;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every provider measures from the same instant: the request's last byte handed to the transport, after the
 * connect. The scripted server takes a known virtual time to accept the connection and a known time to answer;
 * the record shows the first as {@code client_connect_ms} only, the second in TTFT and wall time.
 */
abstract class ConnectionTimingContract extends ContractGroup {

    /** The connect delay of the first checks. */
    static final Duration CONNECT = Duration.ofMillis(7);

    private RunTelemetry run(ContractRun run, boolean stream, Answer answer, ScriptTimeline timeline,
            Duration connect) {
        run.server().setConnectDelay(connect);
        run.server().enqueue(contract().dialect().script(stream, answer, timeline));
        RunTelemetry telemetry = run.execute(contract().request("connect-" + stream, stream)).telemetry();
        assertNoLockstepMisses(run);
        List<WireEvent> events = run.events();
        assertThat(events).as("the provider reports the connection before the request: ConnectStarted, Connected,"
                + " RequestSent (use dev.orket.core.stream.HttpTransport)")
                .startsWith(new WireEvent.ConnectStarted(), new WireEvent.Connected(), new WireEvent.RequestSent());
        return telemetry;
    }

    @Test
    @DisplayName("streaming: the accept delay is client_connect_ms and neither TTFT nor wall time includes it")
    void streaming() {
        assumeDeclared(Capability.STREAMING);
        Expected expected = new Expected(contract().answer(), contract().timeline(), contract().dialect());
        try (ContractRun run = run()) {
            RunTelemetry t = run(run, true, expected.answer, expected.timeline, CONNECT);
            assertThat(t).isCompleted().hasClientConnectMs(CONNECT.toNanos() / 1e6)
                    .hasClientTtftMs(expected.ttftMs()).hasWallSeconds(expected.wallSeconds())
                    .hasOrchestrationOverheadRatio(expected.orchestrationOverheadRatio());
        }
    }

    @Test
    @DisplayName("non-streaming: the accept delay is client_connect_ms and wall time does not include it")
    void nonStreaming() {
        assumeDeclared(Capability.NON_STREAMING);
        Expected expected = new Expected(contract().answer(), contract().timeline(), contract().dialect());
        try (ContractRun run = run()) {
            RunTelemetry t = run(run, false, expected.answer, expected.timeline, CONNECT);
            assertThat(t).isCompleted().hasClientConnectMs(CONNECT.toNanos() / 1e6)
                    .hasNoClientTtft(UnavailableReason.NOT_STREAMING).hasWallSeconds(expected.wallSeconds());
        }
    }

    @Test
    @DisplayName("another accept delay and another response timeline move each field by exactly its own part")
    void otherDelays() {
        assumeDeclared(Capability.STREAMING);
        ScriptTimeline timeline = new ScriptTimeline(Duration.ofMillis(31), Duration.ofMillis(97), Duration.ofMillis(3),
                Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(1));
        Duration connect = Duration.ofMillis(113);
        Expected expected = new Expected(contract().answer(), timeline, contract().dialect());
        try (ContractRun run = run()) {
            RunTelemetry t = run(run, true, expected.answer, timeline, connect);
            assertThat(t).isCompleted().hasClientConnectMs(113.0).hasClientTtftMs(97.0)
                    .hasWallSeconds(expected.wallSeconds());
        }
    }

    @Test
    @DisplayName("a refused connection has no connect time: client_connect_ms is null with reason run_ended_early")
    void refused() {
        try (ContractRun run = runAgainstRefusedPort()) {
            RunTelemetry t = run.execute(contract().request("connect-refused", declares(Capability.STREAMING)))
                    .telemetry();
            assertThat(t).hasFailed(FailureKind.CONNECTION_REFUSED).hasNoClientConnect(UnavailableReason.RUN_ENDED_EARLY);
            assertThat(run.events()).as("no request was sent").doesNotContain(new WireEvent.RequestSent());
        }
    }
}
