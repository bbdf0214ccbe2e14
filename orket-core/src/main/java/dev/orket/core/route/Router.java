package dev.orket.core.route;

import dev.orket.api.MonotonicClock;
import dev.orket.api.RunTelemetry;
import dev.orket.core.kpi.ValueDistribution;
import dev.orket.core.select.Candidate;
import dev.orket.core.select.Selection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A prototype adaptive router for an embedding runtime: {@link #route()} says where the next request
 * goes, {@link #record(RunTelemetry)} takes each finished run's telemetry (from a listener of the
 * runtime's run events). Policy ({@link RoutingPolicy}, {@code docs/adaptive-routing.md}):
 *
 * <pre>
 *   targets in preference order (the selector's winner, runner-up, …); the active one gets the traffic
 *
 *   active, window of its last `window` runs, judged from `minRuns` runs:
 *     p90(wall ms) > ceiling  or  invalid share > maxInvalid   ──►  it rests `cooldown`;
 *                                                                   the next target not resting becomes active
 *   a more preferred target whose rest is over is probed: one route in `probeEvery` goes to it;
 *     probe window (≥ minRuns): p90 ≤ hysteresis·ceiling and invalid ≤ hysteresis·maxInvalid  ──►  it is active again
 *                               p90 > ceiling or invalid > maxInvalid                         ──►  it rests again
 *   every switch empties the new active's window and every probe window, so that consecutive switches
 *   are at least `minRuns` recorded runs apart (no flapping, property tested)
 * </pre>
 *
 * Thread-safe. A prototype: its policy may change before it is recommended (the roadmap puts adaptive
 * routing after the diagnostics are stable).
 *
 * @since 0.1
 */
public final class Router {

    private final List<RouteTarget> targets;
    private final RoutingPolicy policy;
    private final MonotonicClock clock;
    private final List<Window> windows = new ArrayList<>();
    private final long[] restingUntil;
    private final boolean[] probing;
    private final List<RouteSwitch> switches = new ArrayList<>();
    private int active;
    private long routes;
    private long recorded;

    /**
     * A router over targets in preference order.
     *
     * @throws IllegalArgumentException when there is no target or one is listed twice
     */
    public Router(List<RouteTarget> targets, RoutingPolicy policy, MonotonicClock clock) {
        this.targets = List.copyOf(targets);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.targets.isEmpty()) {
            throw new IllegalArgumentException("a router needs at least one target");
        }
        if (this.targets.stream().distinct().count() != this.targets.size()) {
            throw new IllegalArgumentException("targets must be distinct but were " + this.targets);
        }
        for (int i = 0; i < this.targets.size(); i++) {
            windows.add(new Window(policy.window()));
        }
        restingUntil = new long[this.targets.size()];
        Arrays.fill(restingUntil, Long.MIN_VALUE);
        probing = new boolean[this.targets.size()];
    }

    /**
     * A router over a selection's eligible candidates in the frontier's order (winner first).
     *
     * @throws IllegalArgumentException when the selection has no winner
     */
    public static Router of(Selection selection, RoutingPolicy policy, MonotonicClock clock) {
        List<RouteTarget> targets = new ArrayList<>();
        for (Candidate candidate : selection.candidates()) {
            RouteTarget target = RouteTarget.of(candidate);
            if (candidate.eligible() && !targets.contains(target)) {
                targets.add(target);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("the selection has no eligible candidate to route to: "
                    + selection.reasons());
        }
        return new Router(targets, policy, clock);
    }

    /** The target for the next request: the active one, or a probed more preferred one every {@code probeEvery} routes. */
    public synchronized RouteTarget route() {
        routes++;
        int probe = probeCandidate();
        if (probe >= 0 && routes % policy.probeEvery() == 0) {
            return targets.get(probe);
        }
        return targets.get(active);
    }

    /**
     * Takes a finished run's telemetry; a run on none of the targets is ignored.
     *
     * @return whether the run was on one of the targets
     */
    public synchronized boolean record(RunTelemetry run) {
        int index = -1;
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).ran(run.identity())) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            return false;
        }
        recorded++;
        Double wall = run.wallSeconds().value();
        windows.get(index).add(wall == null ? Double.NaN : wall * 1000, run.validity().valid());
        Window window = windows.get(index);
        if (index == active) {
            if (window.size() >= policy.minRuns()) {
                RouteSwitch.Reason reason = leaveReason(window);
                if (reason != null) {
                    leave(index, reason, window);
                }
            }
        } else if (index < active && probing[index] && window.size() >= policy.minRuns()) {
            double p90 = window.p90();
            double invalid = window.invalidRate();
            if (leaveReason(window) != null) {
                rest(index);
            } else if (!(p90 > policy.hysteresis() * policy.latencyCeilingMs())
                    && invalid <= policy.hysteresis() * policy.maxInvalidRate()) {
                switchTo(index, RouteSwitch.Reason.RECOVERED, Double.isNaN(p90) ? null : p90, invalid);
            }
        }
        return true;
    }

    /** The active target. */
    public synchronized RouteTarget active() {
        return targets.get(active);
    }

    /** Every switch so far, oldest first. */
    public synchronized List<RouteSwitch> switches() {
        return List.copyOf(switches);
    }

    /** Runs recorded on the targets so far. */
    public synchronized long recorded() {
        return recorded;
    }

    private RouteSwitch.@Nullable Reason leaveReason(Window window) {
        if (window.p90() > policy.latencyCeilingMs()) {
            return RouteSwitch.Reason.P90_LATENCY_ABOVE_CEILING;
        }
        if (window.invalidRate() > policy.maxInvalidRate()) {
            return RouteSwitch.Reason.INVALID_RATE_ABOVE_LIMIT;
        }
        return null;
    }

    private void leave(int index, RouteSwitch.Reason reason, Window window) {
        double p90 = window.p90();
        double invalid = window.invalidRate();
        int next = -1;
        long now = clock.nanoTime();
        for (int step = 1; step < targets.size(); step++) {
            // Less preferred targets first, then more preferred ones whose rest is over.
            int candidate = (index + step) % targets.size();
            if (restingUntil[candidate] <= now) {
                next = candidate;
                break;
            }
        }
        rest(index);
        if (next >= 0) {
            switchTo(next, reason, reason == RouteSwitch.Reason.P90_LATENCY_ABOVE_CEILING ? p90 : null, invalid);
        } else {
            // Nowhere better to go: stay, judged afresh after the rest, rather than route to nothing.
            window.clear();
        }
    }

    private void rest(int index) {
        restingUntil[index] = clock.nanoTime() + policy.cooldown().toNanos();
        probing[index] = false;
        windows.get(index).clear();
    }

    private void switchTo(int index, RouteSwitch.Reason reason, @Nullable Double p90, double invalid) {
        switches.add(new RouteSwitch(clock.nanoTime(), routes, targets.get(active), targets.get(index), reason, p90,
                invalid));
        active = index;
        probing[index] = false;
        windows.get(index).clear();
        for (int i = 0; i < targets.size(); i++) {
            if (probing[i]) {
                windows.get(i).clear();
            }
        }
    }

    /** The most preferred target before the active one whose rest is over (it starts probing), or -1. */
    private int probeCandidate() {
        long now = clock.nanoTime();
        for (int i = 0; i < active; i++) {
            if (restingUntil[i] <= now) {
                if (!probing[i]) {
                    probing[i] = true;
                    windows.get(i).clear();
                }
                return i;
            }
        }
        return -1;
    }

    /** The last runs of one target: wall latency in ms (NaN when absent) and validity. */
    private static final class Window {
        private final int capacity;
        private final ArrayDeque<double[]> runs = new ArrayDeque<>();

        Window(int capacity) {
            this.capacity = capacity;
        }

        void add(double latencyMs, boolean valid) {
            if (runs.size() == capacity) {
                runs.removeFirst();
            }
            runs.addLast(new double[] {latencyMs, valid ? 0 : 1});
        }

        int size() {
            return runs.size();
        }

        void clear() {
            runs.clear();
        }

        /** Nearest-rank p90 of the present latencies (the KPI definition), NaN when none is present. */
        double p90() {
            double[] values = runs.stream().mapToDouble(r -> r[0]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            if (values.length == 0) {
                return Double.NaN;
            }
            return values[(int) ValueDistribution.nearestRank(0.9, values.length) - 1];
        }

        double invalidRate() {
            return runs.isEmpty() ? 0 : runs.stream().mapToDouble(r -> r[1]).sum() / runs.size();
        }
    }
}
