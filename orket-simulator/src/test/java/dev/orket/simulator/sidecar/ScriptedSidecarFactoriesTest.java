package dev.orket.simulator.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.GpuSample;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.QuantProfile;
import dev.orket.simulator.server.SimulatedQuantFamily;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The ready-made sidecars: a missing tool, a fragmenting GPU, a scripted status. */
class ScriptedSidecarFactoriesTest {

    private static List<Long> vramUsedOfSession(ScriptedSidecar sidecar, VirtualClock clock) {
        var session = sidecar.start(clock);
        clock.advanceBy(Duration.ofMillis(600));
        return session.stop().samples().stream().map(GpuSample::vramUsedMib).collect(Collectors.toList());
    }

    @Test
    @DisplayName("a missing tool is NOT_APPLICABLE with nvidia_smi_unavailable and no samples, on every call")
    void unavailable() {
        ScriptedSidecar sidecar = ScriptedSidecar.unavailable();
        SidecarReading once = sidecar.sampleOnce();
        assertThat(once.parseStatus()).isEqualTo(SidecarParseStatus.NOT_APPLICABLE);
        assertThat(once.parseErrors()).containsExactly("nvidia_smi_unavailable");
        assertThat(once.samples()).isEmpty();
        assertThat(sidecar.start(new VirtualClock()).stop()).isEqualTo(once);
    }

    @Test
    @DisplayName("a fragmenting GPU loads the model in the first session and grows 8 MiB a session below 4 bits")
    void fragmenting() {
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        QuantProfile low = family.quants().stream().filter(q -> q.bitsPerWeight() < 4.0).findFirst().orElseThrow();
        QuantProfile high = family.quants().stream().filter(q -> q.bitsPerWeight() >= 4.0).findFirst().orElseThrow();
        VirtualClock clock = new VirtualClock();
        ScriptedSidecar lowSidecar = ScriptedSidecar.fragmenting(low, 24_000, 0);
        assertThat(lowSidecar.sampleOnce().samples()).extracting(GpuSample::vramUsedMib).containsExactly(300L);
        List<Long> first = vramUsedOfSession(lowSidecar, clock);
        assertThat(first).hasSize(600);
        assertThat(first.subList(0, 3)).containsExactly(300L, 300L + low.weightsMib(), 300L + low.vramMib());
        assertThat(vramUsedOfSession(lowSidecar, clock)).containsOnly(300L + low.vramMib() + 8);
        assertThat(vramUsedOfSession(lowSidecar, clock)).containsOnly(300L + low.vramMib() + 16);
        ScriptedSidecar resumed = ScriptedSidecar.fragmenting(high, 24_000, 5);
        assertThat(vramUsedOfSession(resumed, clock)).containsOnly(300L + high.vramMib());
        assertThatThrownBy(() -> ScriptedSidecar.fragmenting(low, 24_000, -1))
                .hasMessage("firstSession must be >= 0 but was -1");
    }

    @Test
    @DisplayName("a scripted id and status are what the sidecar and its factory report")
    void idAndStatus() {
        ScriptedSidecar sidecar = ScriptedSidecar.builder().id("scripted-gpu")
                .sample(ScriptedSidecar.gpu(0, 24_000, 1_000, 40.0, java.util.Set.of(), List.of()))
                .status(SidecarParseStatus.OPTIONAL_FIELD_MISSING, "missing:power_draw_w").build();
        assertThat(sidecar.id()).isEqualTo("scripted-gpu");
        assertThat(sidecar.factory().id()).isEqualTo("scripted-gpu");
        SidecarReading reading = sidecar.sampleOnce();
        assertThat(reading.parseStatus()).isEqualTo(SidecarParseStatus.OPTIONAL_FIELD_MISSING);
        assertThat(reading.parseErrors()).containsExactly("missing:power_draw_w");
        assertThat(reading.samples()).hasSize(1);
    }
}
