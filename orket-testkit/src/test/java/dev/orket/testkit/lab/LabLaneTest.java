package dev.orket.testkit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class LabLaneTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a missing variable skips the test with one line naming it")
    void missingVariable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LabLane.llamaServer(LabLaneTest.class, Map.of(), out))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("ORKET_LLAMA_SERVER is not set");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("lab-cpu lane skipped in LabLaneTest: ORKET_LLAMA_SERVER is not set; set it to a"
                        + " llama-server executable (see README, lab-cpu lane)" + System.lineSeparator());
    }

    @Test
    @DisplayName("a missing, non-executable or incomplete lab is named precisely")
    void problems() throws IOException {
        Path missing = dir.resolve("nope");
        assertThat(LabLane.problem(Map.of("ORKET_LLAMA_SERVER", missing.toString())))
                .isEqualTo("ORKET_LLAMA_SERVER=" + missing + " is not a file");
        Path plain = Files.writeString(dir.resolve("llama-server"), "#!/bin/sh\n");
        assertThat(LabLane.problem(Map.of("ORKET_LLAMA_SERVER", plain.toString())))
                .contains("is not executable");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rwx------"));
        assertThat(LabLane.problem(Map.of("ORKET_LLAMA_SERVER", plain.toString())))
                .startsWith("ORKET_GGUF_DIR is not set");
        Path models = Files.createDirectory(dir.resolve("models"));
        assertThat(LabLane.problem(Map.of("ORKET_LLAMA_SERVER", plain.toString(), "ORKET_GGUF_DIR",
                models.toString()))).isEqualTo("ORKET_GGUF_DIR=" + models + " holds no .gguf file");
        Files.writeString(models.resolve("m-Q4_K_M.gguf"), "GGUF");
        Map<String, String> complete = Map.of("ORKET_LLAMA_SERVER", plain.toString(), "ORKET_GGUF_DIR",
                models.toString());
        assertThat(LabLane.problem(complete)).isNull();
        LabLane.LlamaServerLab lab = LabLane.llamaServer(LabLaneTest.class, complete, System.out);
        assertThat(lab.gguf("q4_k_m")).isEqualTo(models.resolve("m-Q4_K_M.gguf"));
        assertThatThrownBy(() -> lab.gguf("Q8_0")).hasMessageContaining("m-Q4_K_M.gguf");
    }

    @Test
    @DisplayName("the totals line names runs, quants and seconds")
    void totals() {
        assertThat(LabLane.totalsLine("quant sweep", 78, 13, Duration.ofMillis(12_345)))
                .isEqualTo("lab-cpu lane: quant sweep: 78 runs, 13 quants, 12.3 s");
    }
}
