package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.report.HtmlReport;
import dev.orket.core.report.SweepReport;
import dev.orket.core.telemetry.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The sweep report")
class SweepReportTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Path sweep(Path dir) {
        return sweep(dir, Shard.WHOLE);
    }

    private static Path sweep(Path dir, Shard shard) {
        ManualClock clock = new ManualClock();
        String text = String.format(SweepEngineTest.CONFIG, "");
        SweepEngine.builder()
                .config(SweepConfigReader.parse(text, "t.json"))
                .provider(new FakeFamilyProvider(clock, SweepEngineTest.SPEED, SweepEngineTest.OUTPUT))
                .outputDir(dir)
                .clock(clock)
                .sleeper(d -> clock.advanceMillis(d.toMillis()))
                .scorer(SweepEngineTest.AGREEMENT)
                .higherPrecisionFirst(SweepEngineTest.PRECISION)
                .shard(shard)
                .build()
                .run();
        return dir;
    }

    @Test
    @DisplayName("summary.json validates, carries lane and profile, and recommends the quant the data implies")
    void summary(@TempDir Path dir) throws IOException {
        SweepReport.write(sweep(dir), "test-sweep", ViewOptions.DEFAULT, RunPolicy.DEFAULT);

        JsonNode summary = MAPPER.readTree(dir.resolve("summary.json").toFile());
        try (InputStream schema = Files.newInputStream(Path.of("..", "docs", "specs", "summary.schema.json"))) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(summary))
                    .isEmpty();
        }
        assertThat(summary.get("execution_lane").asText()).isEqualTo("ci");
        assertThat(summary.get("vram_profile").asText()).isEqualTo("balanced");
        assertThat(summary.get("sweep_id").asText()).isEqualTo("test-sweep");
        // Q8_0 matches F16's outputs and is faster; Q4_K_M's 0.75 agreement is under 0.95 of F16's quality.
        assertThat(summary.get("recommendations").get(0).get("winner_quant_tag").asText()).isEqualTo("Q8_0");
    }

    @Test
    @DisplayName("report.html is self-contained, has a plot point per quant and the recommendation")
    void report(@TempDir Path dir) throws IOException {
        SweepReport.write(sweep(dir), "test-sweep", ViewOptions.DEFAULT, RunPolicy.DEFAULT);

        String html = Files.readString(dir.resolve("report.html"));

        assertThat(html).doesNotContainPattern("(?i)<script|<link|src=|href=|@import|url\\(");
        Matcher points = Pattern.compile("<g class=\"point[^\"]*\" data-quant=\"([^\"]+)\"").matcher(html);
        java.util.List<String> quants = new java.util.ArrayList<>();
        while (points.find()) {
            quants.add(points.group(1));
        }
        assertThat(quants).containsExactlyInAnyOrder("F16", "Q8_0", "Q4_K_M");
        assertThat(html).contains("id=\"winner-m\">Q8_0</strong>");
        assertThat(html).contains("Execution lane</dt><dd>ci</dd>").contains("VRAM profile</dt><dd>balanced</dd>");
    }

    @Test
    @DisplayName("text from the ledger is escaped, never interpreted as markup")
    void escapes() {
        String summary = "{\"schema_version\":1,\"recommendations\":[{\"model\":\"<img onerror=x>\","
                + "\"winner_quant_tag\":null,\"no_recommendation_reason\":\"a & b\",\"notes\":[]}],"
                + "\"frontiers\":[],\"cells\":[]}";

        String html = HtmlReport.render(summary, "\"><script>");

        assertThat(html).doesNotContain("<img").doesNotContain("<script>").contains("&lt;img onerror=x&gt;")
                .contains("a &amp; b");
    }

    @Test
    @DisplayName("re-aggregating the same ledger gives the same bytes")
    void deterministic(@TempDir Path dir) throws IOException {
        sweep(dir);
        SweepReport.write(dir, "s", ViewOptions.DEFAULT, RunPolicy.DEFAULT);
        String first = Files.readString(dir.resolve("summary.json")) + Files.readString(dir.resolve("report.html"));
        SweepReport.write(dir, "s", ViewOptions.DEFAULT, RunPolicy.DEFAULT);

        assertThat(Files.readString(dir.resolve("summary.json")) + Files.readString(dir.resolve("report.html")))
                .isEqualTo(first);
    }

    @Test
    @DisplayName("the report counts a duplicated run once, says which planned runs are missing, and refuses another"
            + " sweep's records")
    void ledgerChecks(@TempDir Path dir) throws IOException {
        sweep(dir);
        Path ledger = dir.resolve("runs.jsonl");
        java.util.List<String> lines = Files.readAllLines(ledger);
        java.util.List<String> changed = new java.util.ArrayList<>(lines.subList(1, lines.size()));
        changed.add(lines.get(5));
        Files.write(ledger, changed);

        SweepReport.Written written = SweepReport.write(dir, "test-sweep", ViewOptions.DEFAULT, RunPolicy.DEFAULT);

        assertThat(written.summary().kpis().totalRuns()).isEqualTo(17);
        assertThat(written.ledger().duplicates()).hasSize(1);
        assertThat(written.ledger().missingRuns()).containsExactly(RunLedger.parse(lines.get(0)).runId());

        changed.add(lines.get(1).replace("\"sweep_id\":\"test-sweep\"", "\"sweep_id\":\"other\""));
        Files.write(ledger, changed);
        assertThatThrownBy(() -> SweepReport.write(dir, "test-sweep", ViewOptions.DEFAULT, RunPolicy.DEFAULT))
                .isInstanceOf(dev.orket.core.artifact.ArtifactFormatException.class)
                .hasMessageContaining("line 19 records run " + RunLedger.parse(lines.get(1)).runId()
                        + " of sweep 'other', but this directory's sweep is 'test-sweep'");
    }

    @Test
    @DisplayName("merging shards names the shard's ledger and line of a record it cannot read")
    void mergeNamesBadLine(@TempDir Path base) throws IOException {
        Path first = sweep(base.resolve("s1"), Shard.parse("1/2"));
        Path second = sweep(base.resolve("s2"), Shard.parse("2/2"));
        Path ledger = first.resolve("runs.jsonl");
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(ledger));
        lines.set(1, lines.get(1).replaceFirst("\"quality_score\":[^,]+", "\"quality_score\":\"high\""));
        Files.write(ledger, lines);

        try (OutputLock lock = OutputLock.acquire(base.resolve("merged"))) {
            assertThatThrownBy(() -> SweepReport.merge(lock, java.util.List.of(first, second), ViewOptions.DEFAULT,
                    RunPolicy.DEFAULT))
                    .isInstanceOf(dev.orket.core.artifact.ArtifactFormatException.class)
                    .hasMessage("ledger " + ledger + " line 2: field quality_score must be a number but was 'high'");
        }
    }
}
