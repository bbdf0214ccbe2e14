package dev.orket.sidecar.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.MonotonicClock;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.SidecarConfig;
import dev.orket.api.spi.SidecarSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The README's example compiles and runs")
class ReadmeExampleTest {

    @Test
    @DisplayName("sampling with the real tool name never throws, whether or not nvidia-smi is installed")
    void sampleWithTheRealTool() {
        GpuSidecar sidecar = new NvidiaSmiSidecarFactory().create(SidecarConfig.of("nvidia-smi"));
        SidecarSession session = sidecar.start(MonotonicClock.system());
        SidecarReading reading = session.stop();
        assertThat(reading.parseStatus()).isNotNull();
        sidecar.close();
    }

    @Test
    @DisplayName("parsing a header-less capture with its field list and writing it as JSON")
    void parseAndWrite() throws IOException {
        byte[] capture = "0, GPU-a, NVIDIA H200, 143771, 0\n".getBytes(StandardCharsets.UTF_8);
        SidecarReading parsed = NvidiaSmiParser.parse(capture, List.of("index", "uuid", "name",
                "memory.total", "memory.used"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SidecarReadingJson.write(parsed, out);
        assertThat(parsed.parseStatus()).isEqualTo(SidecarParseStatus.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"schema_version\":1,\"record_type\":"
                + "\"sidecar_reading\",\"execution_lane\":\"lab\",\"vram_profile\":\"balanced\","
                + "\"sidecar_parse_status\":\"OK\"");
    }
}
