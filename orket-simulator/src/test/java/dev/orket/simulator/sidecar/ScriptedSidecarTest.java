package dev.orket.simulator.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ComputeProcess;
import dev.orket.api.HardwareFlag;
import dev.orket.api.RunRequest;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import dev.orket.api.VramProfile;
import dev.orket.api.spi.SidecarConfig;
import dev.orket.api.spi.SidecarSession;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.QuantProfile;
import dev.orket.simulator.server.SimulatedQuantFamily;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScriptedSidecarTest {

    @Test
    @DisplayName("a session returns the samples whose offset the run's clock reached")
    void playsOnTheClock() {
        VirtualClock clock = new VirtualClock();
        ScriptedSidecar sidecar = ScriptedSidecar.builder()
                .sample(ScriptedSidecar.gpu(0, 24000, 1000, 40.0, Set.of(), List.of()))
                .sample(ScriptedSidecar.gpu(50, 24000, 9000, 60.0, Set.of(ThrottleReason.SW_THERMAL_SLOWDOWN), List.of()))
                .sample(ScriptedSidecar.gpu(500, 24000, 9000, 61.0, Set.of(), List.of())).build();
        SidecarSession session = sidecar.start(clock);
        clock.advanceTo(Duration.ofMillis(120));
        SidecarReading reading = session.stop();
        assertThat(reading.samples()).extracting(s -> s.offsetMs()).containsExactly(0L, 50L);
        assertThat(session.stop()).isSameAs(reading);
        assertThat(sidecar.factory().create(SidecarConfig.of("nvidia-smi"))).isSameAs(sidecar);
    }

    @Test
    @DisplayName("drives the thermal, VRAM-cap and foreign-process hardware flags of a run, which never pollute it")
    void qualityReasons() {
        VirtualClock clock = new VirtualClock();
        ComputeProcess foreign = new ComputeProcess("GPU-00000000-0000-0000-0000-000000000000", 4242, "python", 3000L);
        ScriptedSidecar sidecar = ScriptedSidecar.builder()
                .sample(ScriptedSidecar.gpu(0, 24000, 23000, 88.0, Set.of(ThrottleReason.HW_THERMAL_SLOWDOWN),
                        List.of(foreign)))
                .build();
        RunResult result = RunExecutor.builder().clock(clock).sidecar(sidecar).build().execute(
                new dev.orket.simulator.sidecar.FixedProvider(clock),
                RunRequest.builder("r", "m", "p").vramProfile(VramProfile.SAFE).build());
        assertThat(result.telemetry().hardwareFlags().flags()).containsExactly(HardwareFlag.FOREIGN_GPU_PROCESS,
                HardwareFlag.GPU_THROTTLED, HardwareFlag.VRAM_CAP_EXCEEDED);
        assertThat(result.telemetry().hardwareFlags().details().get(HardwareFlag.GPU_THROTTLED))
                .isEqualTo("hw_thermal_slowdown");
        assertThat(result.telemetry().quality().reasons()).isEmpty();
        assertThat(result.telemetry().validity().valid()).isTrue();
        assertThat(result.telemetry().sidecar().peakVramUsedMb()).isEqualTo(23000L);
    }

    @Test
    @DisplayName("reports VRAM per quant as the simulated family's model says")
    void quantFamily() {
        QuantProfile q4 = SimulatedQuantFamily.standard().quantByTag("Q4_K_M");
        VirtualClock clock = new VirtualClock();
        SidecarSession session = ScriptedSidecar.forQuant(q4, 24564).start(clock);
        clock.advanceTo(Duration.ofMillis(250));
        SidecarReading reading = session.stop();
        assertThat(reading.samples()).hasSize(3).allSatisfy(s -> assertThat(s.vramUsedMib()).isEqualTo(q4.vramMib()));
        assertThat(reading.parseStatus()).isEqualTo(SidecarParseStatus.OK);
    }

    @Test
    @DisplayName("a hanging sidecar is released by close before its deadline")
    void closeReleasesHang() throws Exception {
        ScriptedSidecar sidecar = ScriptedSidecar.hanging(Duration.ofSeconds(30));
        java.util.concurrent.CompletableFuture<SidecarReading> pending =
                java.util.concurrent.CompletableFuture.supplyAsync(sidecar::sampleOnce);
        Thread.sleep(50);
        sidecar.close();
        assertThat(pending.get(5, java.util.concurrent.TimeUnit.SECONDS).parseErrors())
                .containsExactly(ScriptedSidecar.TIMEOUT_REASON);
    }
}
