package dev.orket.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.spi.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Canonical value types")
class ValueTypesTest {

    @Test
    @DisplayName("VRAM profiles carry their caps")
    void profileCaps() {
        assertThat(VramProfile.SAFE.vramCapFraction()).isEqualTo(0.50);
        assertThat(VramProfile.BALANCED.vramCapFraction()).isEqualTo(0.80);
        assertThat(VramProfile.STRESS.vramCapFraction()).isEqualTo(0.95);
        assertThat(VramProfile.BALANCED.vramCapMib(81559)).isEqualTo(65247);
    }

    @Test
    @DisplayName("vocabularies round-trip through their JSON names and reject unknown ones by name in configs")
    void jsonNames() {
        for (ExecutionLane lane : ExecutionLane.values()) {
            if (!lane.unrecognized()) {
                assertThat(ExecutionLane.fromJson(lane.jsonName())).isEqualTo(lane);
            }
        }
        for (VramProfile profile : VramProfile.values()) {
            if (!profile.unrecognized()) {
                assertThat(VramProfile.fromJson(profile.jsonName())).isEqualTo(profile);
            }
        }
        assertThatThrownBy(() -> VramProfile.fromJson("turbo"))
                .hasMessage("Unknown VramProfile 'turbo'; expected one of [safe, balanced, stress]");
        // UNRECOGNIZED stands for a newer writer's spelling; nobody may configure it.
        assertThatThrownBy(() -> ExecutionLane.fromJson("unrecognized"))
                .hasMessage("Unknown ExecutionLane 'unrecognized'; expected one of [ci, lab]");
        assertThatThrownBy(() -> RunQualityReason.fromJson("UNRECOGNIZED")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("an artifact's unknown label reads as UNRECOGNIZED, never as an error; a known one as itself")
    void artifactLabels() {
        assertThat(JsonNamed.fromArtifact(FailureKind.class, "DEADLINE_EXCEEDED")).isEqualTo(FailureKind.UNRECOGNIZED);
        assertThat(JsonNamed.fromArtifact(FailureKind.class, "TIMEOUT")).isEqualTo(FailureKind.TIMEOUT);
        assertThat(JsonNamed.fromArtifact(RunQualityReason.class, "GPU_ON_FIRE"))
                .isEqualTo(RunQualityReason.UNRECOGNIZED);
        assertThat(JsonNamed.fromArtifact(ExecutionLane.class, "edge")).isEqualTo(ExecutionLane.UNRECOGNIZED);
        assertThat(JsonNamed.fromArtifact(ThrottleReason.class, "sw_quantum_slowdown"))
                .isEqualTo(ThrottleReason.UNRECOGNIZED);
        assertThat(ThrottleReason.UNRECOGNIZED.isSlowdown()).isFalse();
        assertThatThrownBy(() -> VramProfile.UNRECOGNIZED.vramCapMib(1000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no cap");
        // A closed vocabulary (no UNRECOGNIZED constant) still names what it accepts.
        assertThatThrownBy(() -> JsonNamed.fromArtifact(ExperimentalControl.class, "top_p"))
                .hasMessageContaining("expected one of [seed, temperature, threads, context_size, affinity]");
        assertThatThrownBy(() -> RunRequest.builder("r", "m", "p").executionLane(ExecutionLane.UNRECOGNIZED).build())
                .hasMessageContaining("known lane and profile");
        assertThatThrownBy(() -> new dev.orket.api.spi.WireEvent.QualityFlag(RunQualityReason.UNRECOGNIZED, "x"))
                .hasMessageContaining("never UNRECOGNIZED");
    }

    @Test
    @DisplayName("hardware codes an older writer put in run_quality_reasons are recognised as hardware flags")
    void legacyHardwareCodes() {
        assertThat(HardwareFlag.fromLegacyQualityReason("GPU_THROTTLED")).isEqualTo(HardwareFlag.GPU_THROTTLED);
        assertThat(HardwareFlag.fromLegacyQualityReason("FOREIGN_GPU_PROCESS"))
                .isEqualTo(HardwareFlag.FOREIGN_GPU_PROCESS);
        assertThat(HardwareFlag.fromLegacyQualityReason("VRAM_CAP_EXCEEDED")).isEqualTo(HardwareFlag.VRAM_CAP_EXCEEDED);
        assertThat(HardwareFlag.fromLegacyQualityReason("THERMAL_NOT_SETTLED"))
                .isEqualTo(HardwareFlag.THERMAL_NOT_SETTLED);
        assertThat(HardwareFlag.fromLegacyQualityReason("VRAM_SPILL")).isNull();
        assertThat(HardwareFlag.fromLegacyQualityReason("UNRECOGNIZED")).isNull();
        HardwareFlags flags = HardwareFlags.of(Map.of(HardwareFlag.THERMAL_NOT_SETTLED, "t",
                HardwareFlag.GPU_THROTTLED, "sw_thermal_slowdown"));
        assertThat(flags.flags()).containsExactly(HardwareFlag.GPU_THROTTLED, HardwareFlag.THERMAL_NOT_SETTLED);
        assertThatThrownBy(() -> new HardwareFlags(List.of(), Map.of(HardwareFlag.GPU_THROTTLED, "x")))
                .hasMessageContaining("detail for GPU_THROTTLED");
    }

    @Test
    @DisplayName("a control that was not applied says why; host figures are percentages of the whole host")
    void controlsAndHost() {
        assertThatThrownBy(() -> new ControlApplication(ControlStatus.NOT_APPLIED, "4", " "))
                .hasMessageContaining("reason why");
        ControlsApplied controls = new ControlsApplied(Map.of(ExperimentalControl.THREADS,
                ControlApplication.notApplied(4, "llama-server takes threads only at start"),
                ExperimentalControl.SEED, ControlApplication.applied(42L, "sent as seed")));
        assertThat(controls.notApplied()).containsOnlyKeys(ExperimentalControl.THREADS);
        assertThat(controls.of(ExperimentalControl.AFFINITY)).isEqualTo(ControlsApplied.UNDECLARED);
        assertThatThrownBy(() -> new HostTelemetry(101.0, null, null, null, null, null, 0, "proc", List.of(),
                List.of())).hasMessageContaining("hostCpuPercent must be in [0, 100] but was 101.0");
        assertThat(HostTelemetry.notSampled("ci_lane").unavailableReasons()).containsExactly("ci_lane");
    }

    @Test
    @DisplayName("a metric is a value with provenance or an absence with a reason, never both or neither")
    void metricValue() {
        assertThat(MetricValue.of(1.5, Provenance.DERIVED).require()).isEqualTo(1.5);
        assertThat(MetricValue.unavailable(UnavailableReason.NOT_STREAMING).isPresent()).isFalse();
        assertThatThrownBy(() -> new MetricValue(null, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MetricValue(1.0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MetricValue.of(Double.NaN, Provenance.DERIVED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricValue.unavailable(UnavailableReason.NOT_STREAMING).require())
                .hasMessageContaining("NOT_STREAMING");
    }

    @Test
    @DisplayName("token metrics status follows count and timing availability")
    void tokenMetricsStatus() {
        assertThat(TokenMetricsStatus.of(true, true)).isEqualTo(TokenMetricsStatus.OK);
        assertThat(TokenMetricsStatus.of(false, true)).isEqualTo(TokenMetricsStatus.TOKEN_COUNT_UNAVAILABLE);
        assertThat(TokenMetricsStatus.of(true, false)).isEqualTo(TokenMetricsStatus.TIMING_UNAVAILABLE);
        assertThat(TokenMetricsStatus.of(false, false)).isEqualTo(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE);
    }

    @Test
    @DisplayName("run quality sorts its reasons and is POLLUTED exactly when it has some")
    void runQuality() {
        RunQuality quality = RunQuality.of(List.of(RunQualityReason.VRAM_SPILL, RunQualityReason.COLD_MODEL_LOAD,
                RunQualityReason.VRAM_SPILL));

        assertThat(quality.status()).isEqualTo(RunQualityStatus.POLLUTED);
        assertThat(quality.reasons()).containsExactly(RunQualityReason.COLD_MODEL_LOAD, RunQualityReason.VRAM_SPILL);
        assertThat(RunQuality.of(List.of()).status()).isEqualTo(RunQualityStatus.CLEAN);
    }

    @Test
    @DisplayName("an API key never shows in toString, only in the header value")
    void apiKeyRedacted() {
        ApiKey key = ApiKey.of("sk-secret-123");
        ProviderConfig config = new ProviderConfig(URI.create("http://127.0.0.1:8080"), key, Duration.ofSeconds(1),
                Map.of());

        assertThat(key.toString()).doesNotContain("sk-secret-123");
        assertThat(config.toString()).doesNotContain("sk-secret-123");
        assertThat(key.bearerHeaderValue()).isEqualTo("Bearer sk-secret-123");
        assertThatThrownBy(() -> ApiKey.of("a\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a base URL carrying credentials is refused so a key never lands in a URL")
    void baseUrlWithCredentials() {
        assertThatThrownBy(() -> ProviderConfig.of(URI.create("http://user:pw@127.0.0.1:8080")))
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> ProviderConfig.of(URI.create("http://127.0.0.1:8080/?key=x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a request validates its ranges")
    void requestValidation() {
        assertThatThrownBy(() -> RunRequest.builder("r", "m", "p").maxOutputTokens(-1).build())
                .hasMessageContaining("maxOutputTokens");
        assertThatThrownBy(() -> RunRequest.builder("r", "m", "p").timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout");
        assertThat(RunRequest.builder("r", "m", "p").build().toBuilder().build())
                .isEqualTo(RunRequest.builder("r", "m", "p").build());
    }
}
