package dev.orket.core.vram;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VramAnalysisSchemaTest {

    @Test
    @DisplayName("an analysis with full and absent figures validates against docs/specs/vram-analysis.schema.json")
    void validates() throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("../docs/specs/vram-analysis.schema.json")));
        VramCell full = new VramCell("tiny", "Q4_K_M", 2048, VramCell.ContextSource.MODEL_FACTS,
                new VramCell.Breakdown(636L, 128L, 300L, 1320L, 256L, 256.0 / 1020, "simulated"),
                new VramCell.Trend(7, List.of(1320L, 1320L, 1320L, 1320L, 1320L, 1320L, 1320L), 0.0), List.of(), Map.of());
        VramCell absent = new VramCell("tiny", null, null, null,
                new VramCell.Breakdown(null, null, null, null, null, null, null), new VramCell.Trend(1, List.of(), null),
                List.of(VramFlag.VRAM_GROWTH_OVER_RUNS),
                Map.of("measured_peak_mib", VramUnavailableReason.NO_GPU_SAMPLES));
        String json = VramAnalysisJson.toJson(new VramAnalysis("s", ExecutionLane.CI, VramProfile.BALANCED,
                VramThresholds.DEFAULT, List.of(full, absent)));

        assertThat(schema.validate(json, InputFormat.JSON)).isEmpty();
        assertThat(schema.validate(json.replace("\"informational\" : true", "\"informational\" : false"),
                InputFormat.JSON)).isNotEmpty();
    }
}
