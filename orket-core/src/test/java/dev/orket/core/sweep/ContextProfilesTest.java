package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Context sweep profile verification")
class ContextProfilesTest {

    private static String shipped() throws IOException {
        return Files.readString(Path.of("..", "profiles", "context_sweep_profiles.json"));
    }

    @Test
    @DisplayName("the shipped profiles hold")
    void shippedHold() throws IOException {
        assertThat(ContextProfiles.verify(shipped())).isEmpty();
    }

    @Test
    @DisplayName("a looser threshold, a wrong type, a missing key and unordered contexts are each named")
    void failuresNamed() throws IOException {
        String edited = shipped()
                .replace("\"adherence_min\": 0.95", "\"adherence_min\": 0.90")
                .replace("\"ttft_ceiling_ms\": 350.0", "\"ttft_ceiling_ms\": \"fast\"")
                .replace(", \"decode_floor_tps\": 10.0", "")
                .replace("[8192, 16384, 32768]", "[16384, 8192]");

        assertThat(ContextProfiles.verify(edited)).containsExactly(
                "profiles.safe.adherence_min: 0.9 is looser than the shipped 0.95 (must be >= 0.95)",
                "profiles.balanced.contexts: [16384,8192] is not ascending",
                "profiles.balanced.ttft_ceiling_ms: \"fast\" is not a number",
                "profiles.stress.decode_floor_tps: missing");
    }

    @Test
    @DisplayName("a stricter threshold is fine and a missing profile is named")
    void stricterAndMissing() {
        assertThat(ContextProfiles.verify("{\"profiles\": {\"safe\": {\"contexts\": [1024], \"adherence_min\": 0.99,"
                + " \"ttft_ceiling_ms\": 100, \"decode_floor_tps\": 50}}}"))
                .containsExactly("profiles.balanced: missing or not an object", "profiles.stress: missing or not an object");
    }
}
