package dev.orket.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orket.api.ExecutionLane;
import dev.orket.api.HardwareFlag;
import dev.orket.api.RunQualityReason;
import dev.orket.api.VramProfile;
import dev.orket.core.frontier.FrontierCriteria;
import dev.orket.core.frontier.LatencyMetric;
import dev.orket.core.kpi.KpiAggregator;
import dev.orket.core.kpi.TestRuns;
import dev.orket.core.policy.RunPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SummaryJsonSchemaTest {

    private static final Path SCHEMA = Path.of("../docs/specs/summary.schema.json");

    static Set<ValidationMessage> validate(String json) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(SCHEMA));
        return schema.validate(json, InputFormat.JSON);
    }

    private static KpiAggregator mixedRuns() {
        KpiAggregator aggregator = new KpiAggregator(RunPolicy.DEFAULT);
        for (int i = 0; i < 120; i++) {
            aggregator.add(TestRuns.run("a" + i).quant("Q8_0").speed(100 + i % 7).build(), 1.0);
            aggregator.add(TestRuns.run("b" + i).quant("Q4_K_M").speed(140 + i % 5).vram(3000L).build(), 0.97);
        }
        aggregator.add(TestRuns.run("c").quant("Q2_K").speed(300).build(), 0.5);
        aggregator.add(TestRuns.run("d").quant("Q4_K_M").polluted(RunQualityReason.COLD_MODEL_LOAD).build(), null);
        aggregator.add(TestRuns.run("e").quant("IQ4_XS").failed().build(), null);
        aggregator.add(TestRuns.run("f").quant(null).lane(ExecutionLane.CI).profile(VramProfile.SAFE).ttft(null)
                .vram(null).build(), null);
        return aggregator;
    }

    @Test
    @DisplayName("a summary with every kind of row validates against docs/specs/summary.schema.json")
    void emittedSummaryValidates() throws IOException {
        AnalysisSummary summary = AnalysisSummary.analyze(mixedRuns().summary(),
                new ViewOptions(true, true, new FrontierCriteria(0.9, 200.0, LatencyMetric.CLIENT_TTFT_MS)));
        String json = SummaryJson.toJson(summary);
        assertThat(validate(json)).isEmpty();
        assertThat(json).contains("\"include_invalid\" : true", "\"row_kind\" : \"invalid_runs\"",
                "\"estimator\" : \"exact\"");
    }

    @Test
    @DisplayName("the default summary validates and records that include_invalid was not used")
    void defaultSummaryValidates() throws IOException {
        String json = SummaryJson.toJson(AnalysisSummary.analyze(mixedRuns().summary(), ViewOptions.DEFAULT));
        assertThat(validate(json)).isEmpty();
        assertThat(json).contains("\"include_invalid\" : false").doesNotContain("\"row_kind\" : \"invalid_runs\"");
    }

    @Test
    @DisplayName("the schema rejects a summary without view options")
    void schemaRejects() throws IOException {
        assertThat(validate("{\"schema_version\":1,\"record_type\":\"kpi_summary\"}")).isNotEmpty();
    }

    @Test
    @DisplayName("hardware flag shares per cell validate, and a mixed summary says mixed at the top level")
    void hardwareFlagsValidate() throws IOException {
        KpiAggregator aggregator = mixedRuns();
        for (int i = 0; i < 8; i++) {
            TestRuns run = TestRuns.run("t" + i).quant("Q4_K_M").speed(140);
            if (i < 5) {
                run.flagged(HardwareFlag.GPU_THROTTLED, "sw_thermal_slowdown");
            }
            aggregator.add(run.build(), 0.97);
        }
        String json = SummaryJson.toJson(AnalysisSummary.analyze(aggregator.summary(), ViewOptions.DEFAULT));

        assertThat(validate(json)).isEmpty();
        assertThat(json).contains("\"GPU_THROTTLED\" : {\n        \"runs\" : 5,", "\"execution_lane\" : \"mixed\"");
    }

    @Test
    @DisplayName("a summary without runs needs its labels given, and then validates")
    void emptySummaryNeedsLabels() throws IOException {
        AnalysisSummary empty = AnalysisSummary.analyze(new KpiAggregator(RunPolicy.DEFAULT).summary(),
                ViewOptions.DEFAULT);

        assertThatThrownBy(() -> SummaryJson.toJson(empty, "s"))
                .hasMessageContaining("pass them: SummaryJson.toJson(summary, sweepId, lane, profile)");
        String json = SummaryJson.toJson(empty, "s", ExecutionLane.LAB, VramProfile.SAFE);
        assertThat(validate(json)).isEmpty();
        assertThat(json).contains("\"execution_lane\" : \"lab\"", "\"vram_profile\" : \"safe\"");
        assertThat(validate(json.replace("\"execution_lane\" : \"lab\",", ""))).as("lane is required").isNotEmpty();
        assertThatThrownBy(() -> SummaryJson.toJson(AnalysisSummary.analyze(mixedRuns().summary(),
                ViewOptions.DEFAULT), "s", ExecutionLane.LAB, VramProfile.BALANCED))
                .hasMessageContaining("holds a row of ci/safe");
    }
}
