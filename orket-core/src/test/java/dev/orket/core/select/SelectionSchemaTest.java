package dev.orket.core.select;

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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SelectionSchemaTest {

    private static JsonSchema schema() throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("../docs/specs/model-selection.schema.json")));
    }

    @Test
    @DisplayName("a selection with a winner and one with none validate against docs/specs/model-selection.schema.json")
    void validates() throws IOException {
        Candidate fast = new Candidate("m", "Q4_K_M", 4096,
                new Candidate.Figures(0.96, null, 60.0, new Candidate.Interval(58, 62), 5000.0, 100.0, null), 4.89, "s",
                List.of());
        Candidate slow = new Candidate("m", "Q8_0", null,
                new Candidate.Figures(0.99, null, 40.0, null, 9000.0, null, Boolean.FALSE), 8.5, "s", List.of());
        Selection winner = ModelSelector.select(ExecutionLane.LAB, VramProfile.STRESS, List.of(fast, slow),
                new SelectionConstraints(10_000, 0.9, null, null));
        Selection none = ModelSelector.select(ExecutionLane.CI, VramProfile.SAFE, List.of(fast, slow),
                new SelectionConstraints(1_000, 0.9, 50.0, 8192));

        assertThat(winner.winner()).isNotNull();
        assertThat(none.winner()).isNull();
        assertThat(schema().validate(SelectionJson.toJson(winner), InputFormat.JSON)).isEmpty();
        assertThat(schema().validate(SelectionJson.toJson(none), InputFormat.JSON)).isEmpty();
        assertThat(schema().validate(SelectionJson.toJson(none).replace("\"model_selection\"", "\"other\""),
                InputFormat.JSON)).isNotEmpty();
    }
}
