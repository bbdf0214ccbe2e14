package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.FailureKind;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A sweep that survives the lab")
class SweepResilienceTest {

    private final ManualClock clock = new ManualClock();

    /** The fake family, failing the runs the predicate names with the given kind and status. */
    private class FailingProvider extends FakeFamilyProvider {
        private final Predicate<String> fails;
        private final FailureKind kind;
        private final Integer status;
        final List<String> attempted = new ArrayList<>();

        FailingProvider(Predicate<String> fails, FailureKind kind, Integer status) {
            super(clock, SweepEngineTest.SPEED, SweepEngineTest.OUTPUT);
            this.fails = fails;
            this.kind = kind;
            this.status = status;
        }

        @Override
        public void execute(RunRequest request, RunRecorder recorder) {
            attempted.add(request.runId());
            if (fails.test(request.runId())) {
                recorder.record(new WireEvent.RequestSent());
                clock.advanceMillis(3);
                recorder.record(new WireEvent.Failed(kind, "scripted " + kind, status));
                return;
            }
            super.execute(request, recorder);
        }
    }

    private SweepEngine.Builder engine(String extra, Path dir) {
        String text = String.format(SweepEngineTest.CONFIG, extra);
        if (extra.contains("\"canary\"")) {
            text = text.replace("\"canary\": {\"runs\": 3},\n", "");
        }
        return SweepEngineTest.engineOn(text, dir, clock);
    }

    private static List<String> ledgerLines(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("runs.jsonl"));
    }

    @Nested
    @DisplayName("retries")
    class Retries {

        @Test
        @DisplayName("a run failed by a refused connection is attempted again on resume; the ledger keeps both attempts")
        void retriedOnResume(@TempDir Path dir) throws IOException {
            SweepOutcome first = engine("", dir).provider(new FailingProvider(id -> id.equals("m/Q8_0/s1/r2"),
                    FailureKind.CONNECTION_REFUSED, null)).build().run();
            assertThat(first.status()).isEqualTo(SweepOutcome.Status.COMPLETED);

            FailingProvider second = new FailingProvider(id -> false, FailureKind.CONNECTION_REFUSED, null);
            SweepOutcome resumed = engine("", dir).provider(second).build().run();

            assertThat(second.attempted).containsExactly("m/Q8_0/s1/r2");
            assertThat(resumed.runsExecuted()).isEqualTo(1);
            List<String> lines = ledgerLines(dir);
            assertThat(lines).hasSize(19);
            assertThat(lines.get(18)).contains("\"run_id\":\"m/Q8_0/s1/r2\"").contains("\"attempt\":2");
            LedgerEntry counted = RunLedger.readAll(dir.resolve("runs.jsonl")).stream()
                    .filter(e -> e.runId().equals("m/Q8_0/s1/r2")).findFirst().orElseThrow();
            assertThat(counted.attempt()).isEqualTo(2);
            assertThat(counted.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl"))).hasSize(18)
                    .allSatisfy(e -> assertThat(e.telemetry().completed()).isTrue());
        }

        @Test
        @DisplayName("a 5xx is retried, at most max_attempts times in all; a 4xx or a missing model never")
        void attemptsAndNonRetryable(@TempDir Path dir) throws IOException {
            Predicate<String> q8r1 = id -> id.equals("m/Q8_0/s1/r1");
            Predicate<String> q4r1 = id -> id.equals("m/Q4_K_M/s1/r1");
            for (int invocation = 0; invocation < 4; invocation++) {
                FailingProvider always = new FailingProvider(q8r1, FailureKind.SERVER_ERROR, 500);
                FailingProvider badRequest = new FailingProvider(q4r1, FailureKind.INVALID_REQUEST, 400);
                engine(",\n  \"max_attempts\": 3", dir)
                        .provider(invocation == 0 ? new FailingProvider(q8r1.or(q4r1), FailureKind.SERVER_ERROR, 500)
                                : new FailingProvider(q8r1.or(q4r1), FailureKind.SERVER_ERROR, 500) {
                                    @Override
                                    public void execute(RunRequest request, RunRecorder recorder) {
                                        if (q4r1.test(request.runId())) {
                                            badRequest.execute(request, recorder);
                                        } else {
                                            always.execute(request, recorder);
                                        }
                                    }
                                })
                        .build().run();
            }
            List<String> q8 = ledgerLines(dir).stream().filter(l -> l.contains("\"run_id\":\"m/Q8_0/s1/r1\"")).toList();
            List<String> q4 = ledgerLines(dir).stream().filter(l -> l.contains("\"run_id\":\"m/Q4_K_M/s1/r1\"")).toList();
            // Q8_0 r1: 500 three times, then no more. Q4_K_M r1: 500 (retryable), then 400 (not), then no more.
            assertThat(q8).hasSize(3);
            assertThat(q8.get(2)).contains("\"attempt\":3").contains("\"http_status\":500");
            assertThat(q4).hasSize(2);
            assertThat(q4.get(1)).contains("\"attempt\":2").contains("\"failure_kind\":\"INVALID_REQUEST\"");
        }

        private dev.orket.api.RunTelemetry ended(FailureKind kind, Integer status) {
            FailingProvider provider = new FailingProvider(id -> true, kind, status);
            return dev.orket.core.telemetry.RunExecutor.builder().clock(clock).build()
                    .execute(provider, RunRequest.builder("r", "m:F16", "p").build()).telemetry();
        }

        @Test
        @DisplayName("the policy: connection, timeout, 5xx, busy and cancelled runs are retryable; 4xx, 501 and missing"
                + " models are not")
        void policy() {
            for (FailureKind kind : List.of(FailureKind.CONNECTION_REFUSED, FailureKind.CONNECTION_FAILED,
                    FailureKind.CONNECTION_CLOSED, FailureKind.TIMEOUT, FailureKind.SERVER_BUSY,
                    FailureKind.MODEL_LOADING, FailureKind.INCOMPLETE_RESPONSE)) {
                assertThat(RetryPolicy.isRetryable(ended(kind, null))).as(kind.name()).isTrue();
            }
            assertThat(RetryPolicy.isRetryable(ended(FailureKind.MALFORMED_RESPONSE, 502))).as("a 502 proxy page").isTrue();
            for (FailureKind kind : List.of(FailureKind.INVALID_REQUEST, FailureKind.UNAUTHORIZED,
                    FailureKind.MODEL_NOT_FOUND, FailureKind.CONTEXT_EXCEEDED, FailureKind.NOT_FOUND)) {
                assertThat(RetryPolicy.isRetryable(ended(kind, 400))).as(kind.name()).isFalse();
            }
            assertThat(RetryPolicy.isRetryable(ended(FailureKind.NOT_IMPLEMENTED, 501))).isFalse();
            assertThat(RetryPolicy.isConnectionLevel(ended(FailureKind.TIMEOUT, null))).isTrue();
            assertThat(RetryPolicy.isConnectionLevel(ended(FailureKind.SERVER_ERROR, 500))).isFalse();
            var refused = new LedgerEntry(ended(FailureKind.CONNECTION_REFUSED, null), "s", null, "", "", 2);
            assertThat(RetryPolicy.nextAttempt(null, 3)).isEqualTo(1);
            assertThat(RetryPolicy.nextAttempt(refused, 3)).isEqualTo(3);
            assertThat(RetryPolicy.nextAttempt(refused, 2)).isZero();
        }
    }

    @Nested
    @DisplayName("readiness")
    class Ready {

        /** A provider whose probe says loading the given number of times, then ready. */
        private FakeFamilyProvider loadingFor(int probes, String reason, AtomicInteger asked) {
            return new FakeFamilyProvider(clock, SweepEngineTest.SPEED, SweepEngineTest.OUTPUT) {
                @Override
                public Readiness probe(String model) {
                    return asked.incrementAndGet() <= probes ? Readiness.blocked(reason, "Loading model") : Readiness.readyNow();
                }
            };
        }

        @Test
        @DisplayName("waits with backoff for a loading server, then runs the cell")
        void waitsForTheServer(@TempDir Path dir) {
            AtomicInteger asked = new AtomicInteger();
            SweepOutcome outcome = engine(",\n  \"canary\": {\"runs\": 0}", dir).provider(loadingFor(4, "model_loading",
                    asked)).build().run();

            assertThat(outcome.blockedCells()).isEmpty();
            // 250 + 500 + 1000 + 2000 ms of backoff before the fifth probe says ready.
            assertThat(asked).hasValue(4 + 3);
            assertThat(clock.nanoTime()).isGreaterThanOrEqualTo(Duration.ofMillis(3750).toNanos());
        }

        @Test
        @DisplayName("blocks the cell with the probe's reasons when it is never ready; --resume tries it again")
        void neverReady(@TempDir Path dir) {
            String extra = ",\n  \"canary\": {\"runs\": 0}, \"readiness_timeout_ms\": 10000";
            SweepOutcome outcome = engine(extra, dir).provider(loadingFor(Integer.MAX_VALUE, "model_loading",
                    new AtomicInteger())).build().run();

            assertThat(outcome.blockedCells()).hasSize(3);
            assertThat(outcome.blockedCells().get("m/F16"))
                    .isEqualTo("not_ready:model_loading: Loading model (waited 10000 ms)");

            SweepOutcome resumed = engine(extra, dir).provider(loadingFor(0, "model_loading", new AtomicInteger()))
                    .build().run();
            assertThat(resumed.blockedCells()).isEmpty();
            assertThat(resumed.runsExecuted()).isEqualTo(3 * 7);
        }

        @Test
        @DisplayName("a missing model is not waited for")
        void missingModel(@TempDir Path dir) {
            long before = clock.nanoTime();
            SweepOutcome outcome = engine(",\n  \"canary\": {\"runs\": 0}", dir).provider(loadingFor(Integer.MAX_VALUE,
                    "model_not_found", new AtomicInteger())).build().run();

            assertThat(outcome.blockedCells().get("m/Q8_0")).startsWith("not_ready:model_not_found");
            assertThat(clock.nanoTime()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("the circuit breaker blocks a cell after max_consecutive_failures connection failures in a row")
    void circuitBreaker(@TempDir Path dir) throws IOException {
        FailingProvider provider = new FailingProvider(id -> id.startsWith("m/Q8_0/"), FailureKind.CONNECTION_REFUSED,
                null);

        SweepOutcome outcome = engine(",\n  \"max_consecutive_failures\": 4", dir).provider(provider).build().run();

        assertThat(outcome.blockedCells()).containsOnlyKeys("m/Q8_0");
        assertThat(outcome.blockedCells().get("m/Q8_0"))
                .isEqualTo("circuit_open:4 connection-level failures in a row (last: CONNECTION_REFUSED: scripted"
                        + " CONNECTION_REFUSED)");
        // One warm-up and three measured runs failed; the cell's other measured runs were not burnt.
        assertThat(provider.attempted.stream().filter(id -> id.startsWith("m/Q8_0/"))).hasSize(4);
        assertThat(ledgerLines(dir).stream().filter(l -> l.contains("\"m/Q4_K_M/"))).hasSize(6);
        JsonNode blocked = new ObjectMapper().readTree(dir.resolve("blocked_cells.json").toFile());
        assertThat(blocked.get("blocked").get("m/Q8_0").asText()).startsWith("circuit_open:4");
    }

    @Nested
    @DisplayName("stopping")
    class Stopping {

        /** The fake family, whose named run streams until its thread is interrupted, then reports Cancelled. */
        private class HangingProvider extends FakeFamilyProvider {
            final CountDownLatch streaming = new CountDownLatch(1);
            private final String hangOn;

            HangingProvider(String hangOn) {
                super(clock, SweepEngineTest.SPEED, SweepEngineTest.OUTPUT);
                this.hangOn = hangOn;
            }

            @Override
            public void execute(RunRequest request, RunRecorder recorder) {
                if (!request.runId().equals(hangOn)) {
                    super.execute(request, recorder);
                    return;
                }
                recorder.record(new WireEvent.RequestSent());
                recorder.record(new WireEvent.ResponseStarted(200));
                recorder.record(new WireEvent.ContentDelta("a ", 1));
                streaming.countDown();
                try {
                    Thread.sleep(60_000);
                    recorder.record(new WireEvent.Failed(FailureKind.TIMEOUT, "never cancelled", null));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    recorder.record(new WireEvent.Cancelled("the calling thread was interrupted"));
                }
            }
        }

        @Test
        @DisplayName("cancel() ends the run in flight as CANCELLED, writes it, stops; resume does it again")
        void cancelAndResume(@TempDir Path dir) throws Exception {
            HangingProvider provider = new HangingProvider("m/Q8_0/s2/r1");
            List<String> events = new ArrayList<>();
            SweepHandle handle = engine("", dir).provider(provider)
                    .listener(event -> events.add(event.eventName())).build().start();
            assertThat(provider.streaming.await(30, TimeUnit.SECONDS)).isTrue();

            handle.cancel();
            SweepOutcome outcome = handle.await(Duration.ofSeconds(30));

            assertThat(outcome).isNotNull();
            assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.INTERRUPTED);
            List<String> lines = ledgerLines(dir);
            assertThat(lines.get(lines.size() - 1)).contains("\"run_id\":\"m/Q8_0/s2/r1\"")
                    .contains("\"terminal_state\":\"CANCELLED\"").contains("\"chunk_count\":1");
            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl"))).hasSize(8);
            assertThat(events.get(events.size() - 1)).isEqualTo("sweep_finished");

            SweepOutcome resumed = engine("", dir).provider(new FakeFamilyProvider(clock, SweepEngineTest.SPEED,
                    SweepEngineTest.OUTPUT)).build().run();
            assertThat(resumed.status()).isEqualTo(SweepOutcome.Status.COMPLETED);
            LedgerEntry again = RunLedger.readAll(dir.resolve("runs.jsonl")).stream()
                    .filter(e -> e.runId().equals("m/Q8_0/s2/r1")).findFirst().orElseThrow();
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(again.telemetry().completed()).isTrue();
            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl"))).hasSize(18);
        }

        @Test
        @DisplayName("interrupting the thread of run() stops the sweep the same way, with no exception")
        void interruptRun(@TempDir Path dir) throws Exception {
            HangingProvider provider = new HangingProvider("m/F16/s1/r2");
            SweepEngine engine = engine("", dir).provider(provider).build();
            List<Object> result = new ArrayList<>();
            Thread runner = new Thread(() -> {
                try {
                    result.add(engine.run());
                } catch (RuntimeException e) {
                    result.add(e);
                }
            });
            runner.start();
            assertThat(provider.streaming.await(30, TimeUnit.SECONDS)).isTrue();

            runner.interrupt();
            runner.join(30_000);

            assertThat(result).hasSize(1);
            assertThat(result.get(0)).isInstanceOfSatisfying(SweepOutcome.class,
                    outcome -> assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.INTERRUPTED));
            assertThat(ledgerLines(dir).get(ledgerLines(dir).size() - 1)).contains("\"terminal_state\":\"CANCELLED\"");
        }
    }

    @Test
    @DisplayName("events: sweep_started first, a run_finished per run written, a canary verdict, sweep_finished last")
    void events(@TempDir Path dir) throws IOException {
        List<SweepEvent> events = new ArrayList<>();
        engine("", dir).provider(new FakeFamilyProvider(clock, SweepEngineTest.SPEED, SweepEngineTest.OUTPUT))
                .listener(events::add).build().run();

        assertThat(events.get(0)).isInstanceOfSatisfying(SweepEvent.SweepStarted.class, started -> {
            assertThat(started.plannedRuns()).isEqualTo(3 + 3 * 7);
            assertThat(started.toRun()).isEqualTo(3 + 3 * 7);
        });
        assertThat(events.get(events.size() - 1)).isInstanceOf(SweepEvent.SweepFinished.class);
        assertThat(events).filteredOn(SweepEvent.RunFinished.class::isInstance).hasSize(3 + 3 * 7);
        assertThat(events).filteredOn(SweepEvent.CanaryFinished.class::isInstance).hasSize(1);
        assertThat(events).filteredOn(SweepEvent.CellStarted.class::isInstance).extracting(
                e -> ((SweepEvent.CellStarted) e).quant()).containsExactly("F16", "Q8_0", "Q4_K_M");
        ObjectMapper json = new ObjectMapper();
        for (SweepEvent event : events) {
            JsonNode line = json.readTree(SweepEventJson.toJson(event));
            assertThat(line.get("event").asText()).isEqualTo(event.eventName());
        }
        JsonNode run = json.readTree(SweepEventJson.toJson(events.stream()
                .filter(SweepEvent.RunFinished.class::isInstance).reduce((a, b) -> b).orElseThrow()));
        assertThat(run.get("run_id").asText()).isEqualTo("m/Q4_K_M/s2/r3");
        assertThat(run.get("telemetry").get("execution_lane").asText()).isEqualTo("ci");
        assertThat(run.get("remaining").asInt()).isZero();
    }
}
