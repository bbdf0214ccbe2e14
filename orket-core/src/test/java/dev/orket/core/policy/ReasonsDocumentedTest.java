package dev.orket.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.HardwareFlag;
import dev.orket.api.RunQualityReason;
import dev.orket.api.UnavailableReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every code a record can carry has its anchor in docs/reasons.md, and the hardware codes sit apart. */
@DisplayName("Reason codes are documented")
class ReasonsDocumentedTest {

    @Test
    @DisplayName("every run quality reason, hardware flag and unavailable reason has a heading in docs/reasons.md")
    void everyCodeHasAnAnchor() throws IOException {
        String reasons = Files.readString(Path.of("../docs/reasons.md"));
        for (RunQualityReason reason : RunQualityReason.values()) {
            if (!reason.unrecognized()) {
                assertThat(reasons).as(reason.jsonName()).contains("\n### " + reason.jsonName() + "\n");
            }
        }
        for (HardwareFlag flag : HardwareFlag.values()) {
            if (!flag.unrecognized()) {
                assertThat(reasons).as(flag.jsonName()).contains("\n### " + flag.jsonName() + "\n");
            }
        }
        for (UnavailableReason reason : UnavailableReason.values()) {
            if (!reason.unrecognized()) {
                assertThat(reasons).as(reason.jsonName()).contains("\n### " + reason.jsonName() + "\n");
            }
        }
        int hardware = reasons.indexOf("## Hardware flags");
        assertThat(reasons.indexOf("### GPU_THROTTLED")).as("GPU_THROTTLED is a hardware flag, not a quality reason")
                .isGreaterThan(hardware);
    }
}
