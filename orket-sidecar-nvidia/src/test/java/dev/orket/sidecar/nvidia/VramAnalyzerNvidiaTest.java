package dev.orket.sidecar.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.GpuSample;
import dev.orket.api.SidecarReading;
import dev.orket.core.artifact.GpuSampleJson;
import dev.orket.core.sweep.SweepArtifacts;
import dev.orket.core.vram.VramAnalysis;
import dev.orket.core.vram.VramAnalyzer;
import dev.orket.core.vram.VramCell;
import dev.orket.core.vram.VramUnavailableReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab lane's input to the VRAM analyzer, at parse level: a real nvidia-smi capture parsed by
 * this module, written as a sweep writes GPU samples, read back by the analyzer with exact values.
 */
@DisplayName("VRAM analyzer over parsed nvidia-smi samples")
class VramAnalyzerNvidiaTest {

    @Test
    @DisplayName("peak, baseline and post-run VRAM come exactly from the capture's memory.used column")
    void parsedCaptureFeedsTheAnalyzer(@TempDir Path dir) throws IOException {
        SidecarReading reading = NvidiaSmiParser.parse(
                Corpus.GPU_CAPTURES.get(4).bytes(), Corpus.RECOMMENDED_QUERY);
        List<GpuSample> samples = reading.samples();
        assertThat(samples).extracting(GpuSample::vramUsedMib).containsExactly(19_818L, 19_820L);

        Files.writeString(dir.resolve("sweep_manifest.json"),
                "{\"sweep_id\":\"lab-h100\",\"execution_lane\":\"lab\",\"vram_profile\":\"stress\"}");
        String template;
        try (InputStream in = getClass().getResourceAsStream("/ledger/run-telemetry-q8.json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        StringBuilder ledger = new StringBuilder();
        for (String runId : List.of("run-1", "run-2")) {
            ledger.append(template.replace("\"run-7\"", "\"" + runId + "\"")).append('\n');
            Path file = SweepArtifacts.sidecarSamplesFile(dir, runId);
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (GpuSample sample : samples) {
                StringWriter out = new StringWriter();
                try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                    g.writeStartObject();
                    g.writeStringField("run_id", runId);
                    GpuSampleJson.writeFields(g, sample);
                    g.writeEndObject();
                }
                lines.append(out).append('\n');
            }
            Files.writeString(file, lines);
        }
        Files.writeString(dir.resolve("runs.jsonl"), ledger);

        VramAnalysis analysis = VramAnalyzer.withFacts(List.of()).analyze(dir);

        assertThat(analysis.sweepId()).isEqualTo("lab-h100");
        VramCell cell = analysis.cells().get(0);
        assertThat(cell.quantTag()).isEqualTo("Q8_0");
        assertThat(cell.context()).isEqualTo(4096);
        assertThat(cell.breakdown().measuredPeakMib()).isEqualTo(19_820L);
        assertThat(cell.breakdown().baselineMib()).isEqualTo(19_818L);
        assertThat(cell.trend().postRunMib()).containsExactly(19_820L, 19_820L);
        assertThat(cell.breakdown().weightsMib()).isNull();
        assertThat(cell.unavailableReasons()).containsEntry("weights_mib", VramUnavailableReason.NO_MODEL_FACTS)
                .containsEntry("post_run_slope_mib_per_run", VramUnavailableReason.TOO_FEW_RUNS);
    }
}
