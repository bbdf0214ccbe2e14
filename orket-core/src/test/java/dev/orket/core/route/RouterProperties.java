package dev.orket.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.RunTelemetry;
import dev.orket.core.kpi.TestRuns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The router's documented policy, on a manual clock with exact latencies. */
class RouterProperties {

    private static final RouteTarget A = new RouteTarget("tiny-llama", "Q5_K_M", 2048);
    private static final RouteTarget B = new RouteTarget("tiny-llama", "Q4_K_M", 2048);
    private static final RouteTarget C = new RouteTarget("tiny-llama", "Q3_K_M", 2048);

    /** A manual clock the tests move. */
    private static final class Clock implements dev.orket.api.MonotonicClock {
        long nanos;

        @Override
        public long nanoTime() {
            return nanos;
        }
    }

    private interface Latency {
        /** Wall latency in ms of run {@code n} on a target, or a negative number for an invalid run. */
        double of(RouteTarget target, int n);
    }

    /** Routes and records {@code runs} requests, 100 ms apart; returns the recorded count at each switch. */
    private static List<Long> drive(Router router, Clock clock, int runs, Latency latency) {
        List<Long> recordedAtSwitch = new ArrayList<>();
        int seen = 0;
        for (int n = 0; n < runs; n++) {
            RouteTarget target = router.route();
            double ms = latency.of(target, n);
            TestRuns run = TestRuns.run("r" + n).model(target.model()).quant(target.quantTag())
                    .wall(Math.abs(ms) / 1000);
            if (ms < 0) {
                run.failed();
            }
            RunTelemetry telemetry = run.build();
            clock.nanos += Duration.ofMillis(100).toNanos();
            assertThat(router.record(telemetry)).isTrue();
            while (router.switches().size() > seen) {
                recordedAtSwitch.add(router.recorded());
                seen++;
            }
        }
        return recordedAtSwitch;
    }

    @Property(tries = 200)
    @Label("consecutive switches are at least minRuns recorded runs apart, whatever the latencies (no flapping)")
    void switchesAreSpaced(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int minRuns,
            @ForAll @IntRange(min = 1, max = 6) int probeEvery, @ForAll @IntRange(min = 0, max = 3_000) int cooldownMs) {
        Random random = new Random(seed);
        Clock clock = new Clock();
        RoutingPolicy policy = new RoutingPolicy(Math.max(minRuns, 2 + random.nextInt(20)), minRuns, 20.0, 0.1, 0.8,
                Duration.ofMillis(cooldownMs), probeEvery);
        Router router = new Router(List.of(A, B, C), policy, clock);
        // Adversarial: every run's latency and validity at random, often around the ceiling.
        List<Long> at = drive(router, clock, 600, (t, n) -> random.nextInt(12) == 0 ? -10
                : random.nextDouble() * 40);
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).as("switches at runs %s", at).isGreaterThanOrEqualTo(minRuns);
        }
        for (RouteSwitch s : router.switches()) {
            if (s.reason() == RouteSwitch.Reason.RECOVERED && s.p90LatencyMs() != null) {
                assertThat(s.p90LatencyMs()).isLessThanOrEqualTo(0.8 * 20.0);
            }
            if (s.reason() == RouteSwitch.Reason.P90_LATENCY_ABOVE_CEILING) {
                assertThat(s.p90LatencyMs()).isGreaterThan(20.0);
            }
        }
    }

    @Property(tries = 200)
    @Label("noise under the ceiling, with at most one spike per window, never moves the router")
    void quietUnderNoise(@ForAll long seed) {
        Random random = new Random(seed);
        Clock clock = new Clock();
        RoutingPolicy policy = RoutingPolicy.withCeiling(20.0);
        Router router = new Router(List.of(A, B), policy, clock);
        double base = 4 + random.nextDouble() * 8;
        int phase = random.nextInt(policy.window());
        drive(router, clock, 1_000, (t, n) -> (n + phase) % policy.window() == 0 ? 500.0
                : base * (1 + (random.nextDouble() - 0.5) * 0.5));
        assertThat(router.switches()).isEmpty();
        assertThat(router.active()).isEqualTo(A);
    }

    @Example
    @Label("a load step on A: the router moves to B within the window and returns once A's probes recover")
    void loadStep() {
        Clock clock = new Clock();
        RoutingPolicy policy = RoutingPolicy.withCeiling(20.0);
        Router router = new Router(List.of(A, B), policy, clock);
        // A is slow (50 ms) from run 100 to run 299, fast (10 ms) otherwise; B is always 12 ms.
        List<Long> at = drive(router, clock, 600, (t, n) -> t.equals(B) ? 12.0 : n >= 100 && n < 300 ? 50.0 : 10.0);

        List<RouteSwitch> switches = router.switches();
        assertThat(switches).extracting(RouteSwitch::reason).containsExactly(
                RouteSwitch.Reason.P90_LATENCY_ABOVE_CEILING, RouteSwitch.Reason.RECOVERED);
        assertThat(switches.get(0).from()).isEqualTo(A);
        assertThat(switches.get(0).to()).isEqualTo(B);
        // p90 (rank 18 of 20) crosses once 3 of the last 20 runs are slow: the third slow run.
        assertThat(at.get(0)).isEqualTo(103);
        assertThat(switches.get(0).p90LatencyMs()).isEqualTo(50.0);
        // Back only after the load ended at run 300, the cooldown and minRuns clean probes.
        assertThat(at.get(1)).isGreaterThan(300).isLessThanOrEqualTo(300 + policy.window() * policy.probeEvery() + 60);
        assertThat(switches.get(1).to()).isEqualTo(A);
        assertThat(switches.get(1).p90LatencyMs()).isEqualTo(10.0);
        assertThat(router.active()).isEqualTo(A);
    }

    @Example
    @Label("an invalid-run rate over the limit moves the router; a run on no target is ignored")
    void invalidRate() {
        Clock clock = new Clock();
        Router router = new Router(List.of(A, B), RoutingPolicy.withCeiling(20.0), clock);
        drive(router, clock, 30, (t, n) -> t.equals(A) && n % 4 == 0 ? -5.0 : 5.0);

        assertThat(router.switches()).first().extracting(RouteSwitch::reason)
                .isEqualTo(RouteSwitch.Reason.INVALID_RATE_ABOVE_LIMIT);
        assertThat(router.record(TestRuns.run("x").model("other").quant("Q8_0").build())).isFalse();
    }

    @Example
    @Label("a router needs distinct targets and a sane policy")
    void misuse() {
        Clock clock = new Clock();
        assertThatThrownBy(() -> new Router(List.of(), RoutingPolicy.withCeiling(20.0), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one target");
        assertThatThrownBy(() -> new Router(List.of(A, A), RoutingPolicy.withCeiling(20.0), clock))
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> new RoutingPolicy(20, 30, 20.0, 0.1, 0.8, Duration.ZERO, 1))
                .hasMessageContaining("minRuns must be in [2, window=20] but was 30");
        assertThatThrownBy(() -> new RoutingPolicy(20, 10, 20.0, 0.1, 1.2, Duration.ZERO, 1))
                .hasMessageContaining("hysteresis must be in (0, 1) but was 1.2");
    }
}
