package dev.orket.testkit;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Capability;
import dev.orket.api.FailureKind;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.internal.JsonTree;
import dev.orket.simulator.server.Fault;
import dev.orket.simulator.server.Await;
import dev.orket.simulator.server.FaultScript;
import dev.orket.simulator.server.Script;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every injected fault ends in exactly one terminal state, with a full record, in bounded time, leaking nothing. */
abstract class FailuresContract extends ContractGroup {

    private List<FaultScript> faults() {
        List<FaultScript> faults = new ArrayList<>();
        try (InferenceProvider provider = contract().createProvider(contract().config(URI.create("http://127.0.0.1:9")))) {
            for (boolean stream : new boolean[] {true, false}) {
                if (provider.capabilities().contains(stream ? Capability.STREAMING : Capability.NON_STREAMING)) {
                    faults.addAll(Fault.all(contract().dialect(), stream, contract().answer(), contract().timeline()));
                }
            }
        }
        return faults;
    }

    @TestFactory
    @DisplayName("every fault ends in exactly one terminal state with the right failure kind and a full record")
    Stream<DynamicTest> everyFault() {
        return faults().stream().map(fault -> DynamicTest.dynamicTest(fault.describe() + " ends "
                + fault.terminalState() + (fault.failureKind() == null ? "" : " " + fault.failureKind()),
                () -> check(fault)));
    }

    private void check(FaultScript fault) throws IOException {
        Duration timeout = fault.needsClientTimeout() ? contract().faultTimeout() : Duration.ofSeconds(10);
        RunRequest request = contract().request("fault-" + fault.fault().name().toLowerCase(java.util.Locale.ROOT),
                fault.stream()).toBuilder().timeout(timeout).build();
        long startedNanos = System.nanoTime();
        try (ContractRun run = fault.script() == null ? runAgainstRefusedPort() : run()) {
            if (fault.script() != null) {
                run.server().enqueue(fault.script());
            }
            RunResult result = run.execute(request);
            long elapsedNanos = System.nanoTime() - startedNanos;
            RunTelemetry t = result.telemetry();

            assertThat(run.terminalEvents()).as("terminal events recorded (" + ContractRun.describe(run.events()) + ")")
                    .isEqualTo(1);
            assertThat(t).hasTerminalState(fault.terminalState()).hasHttpStatus(fault.httpStatus())
                    .hasWallSeconds(fault.wall().toNanos() / 1e9);
            if (fault.terminalState() == TerminalState.FAILED) {
                assertThat(t).hasFailed(fault.failureKind()).isInvalid();
                assertThat(t.outcome().failureMessage()).as("failure message").isNotBlank();
            }
            if (fault.qualityReason() != null) {
                // A polluted measurement is never valid: it never reaches a KPI.
                assertThat(t).hasQualityReason(fault.qualityReason()).isInvalid();
            }
            assertThat(fault.tokenMetricsStatuses()).as("token_metrics_status").contains(t.tokenMetrics().status());
            assertThat(t.tokenMetrics().chunkCount()).as("chunk_count: the chunks that arrived before the fault count")
                    .isGreaterThanOrEqualTo(fault.minChunkCount());
            if (fault.chunkCount() != null) {
                assertThat(t.tokenMetrics().chunkCount()).as("chunk_count").isEqualTo(fault.chunkCount());
            }
            assertFullRecord(t);
            assertThat(Duration.ofNanos(elapsedNanos)).as("time the run took (client timeout " + timeout + ")")
                    .isLessThan(timeout.plusSeconds(5));

            assertThat(run.closeProviderAndAwaitConnections(Duration.ofSeconds(5)))
                    .as("every connection to the server closed after the provider closed").isTrue();
            assertNoLockstepMisses(run);
            run.close();
            if (contract().checksThreadLeaks()) {
                assertThat(run.leakedThreads(Duration.ofSeconds(2))).as("non-daemon threads left running").isEmpty();
            }
        }
    }

    /**
     * The failure kind of a status whose body says nothing (empty): the same for every provider, so that a sweep
     * over two servers compares like with like. Written here, apart from the core's classification it checks.
     */
    static final Map<Integer, FailureKind> STATUS_WITHOUT_BODY = Map.ofEntries(
            Map.entry(400, FailureKind.INVALID_REQUEST), Map.entry(401, FailureKind.UNAUTHORIZED),
            Map.entry(403, FailureKind.UNAUTHORIZED), Map.entry(404, FailureKind.NOT_FOUND),
            Map.entry(405, FailureKind.NOT_FOUND), Map.entry(413, FailureKind.HTTP_ERROR),
            Map.entry(422, FailureKind.INVALID_REQUEST), Map.entry(429, FailureKind.SERVER_BUSY),
            Map.entry(500, FailureKind.SERVER_ERROR), Map.entry(501, FailureKind.NOT_IMPLEMENTED),
            Map.entry(502, FailureKind.HTTP_ERROR), Map.entry(503, FailureKind.SERVER_BUSY),
            Map.entry(504, FailureKind.HTTP_ERROR));

    @TestFactory
    @DisplayName("the same status with an empty body is the same failure kind for every provider")
    Stream<DynamicTest> sameStatusSameKind() {
        boolean stream = declares(Capability.STREAMING);
        return new java.util.TreeMap<>(STATUS_WITHOUT_BODY).entrySet().stream().map(entry -> DynamicTest.dynamicTest(
                "HTTP " + entry.getKey() + " with an empty body is " + entry.getValue(), () -> {
                    try (ContractRun run = run()) {
                        run.server().enqueue(Script.builder(entry.getKey()).name("empty-" + entry.getKey())
                                .header("Content-Type", "application/json").head(Duration.ZERO, Await.NOTHING)
                                .end(Duration.ZERO, Await.TERMINAL).build());
                        RunTelemetry t = run.execute(contract().request("status-" + entry.getKey(), stream))
                                .telemetry();
                        assertThat(t).hasFailed(entry.getValue()).hasHttpStatus(entry.getKey());
                        assertFullRecord(t);
                        assertNoLockstepMisses(run);
                    }
                }));
    }

    /** Every key present, and every null metric explained in {@code unavailable_reasons}. */
    static void assertFullRecord(RunTelemetry telemetry) throws IOException {
        Map<String, @Nullable Object> json = JsonTree.parseObject(TelemetryJson.toJson(telemetry));
        assertThat(json).as("serialized telemetry record").containsKeys(TelemetryKeys.ALL.toArray(new String[0]));
        Object reasons = json.get("unavailable_reasons");
        for (String metric : TelemetryKeys.METRICS) {
            if (json.get(metric) == null) {
                assertThat(JsonTree.at(reasons, metric)).as("unavailable reason of null " + metric).isNotNull();
            }
        }
        assertThat(json.get("run_quality_reasons")).as("run_quality_reasons").isInstanceOf(List.class);
    }
}
