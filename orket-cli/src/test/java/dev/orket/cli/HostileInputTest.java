package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("orket against hostile configs, directories and ledgers")
class HostileInputTest {

    private static final String CONFIG = "{\"provider\": {\"id\": \"ollama\", \"base_url\": \"http://127.0.0.1:11434\"},"
            + " \"models\": [{\"name\": \"llama3.2\", \"quants\": [\"q4_K_M\", \"q8_0\"]}],"
            + " \"sessions\": [{\"id\": \"s\", \"prompt\": \"hi\"}], \"repetitions\": 2,"
            + " \"execution_lane\": \"lab\", \"vram_profile\": \"safe\"%s}";

    private static Path config(Path dir, String extra) throws IOException {
        Path file = dir.resolve("sweep.json");
        Files.writeString(file, String.format(CONFIG, extra));
        return file;
    }

    @Test
    @DisplayName("--dry-run refuses what the real run would refuse, with exit 3 and one clear line, touching nothing")
    void dryRunValidatesEverything(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        String session = "{\"id\": \"s\", \"prompt\": \"hi\"}";
        // Each case: what to replace in the config, its replacement, and what the one error line must say.
        List<String[]> cases = List.of(
                new String[] {"\"repetitions\": 2", "\"repetitions\": 2, \"timeout_ms\": 0",
                    "timeout_ms must be an integer in [1, 86400000] but was 0"},
                new String[] {"\"repetitions\": 2", "\"repetitions\": 2, \"context_size\": -5",
                    "context_size must be an integer in [1, 16777216] but was -5"},
                new String[] {"http://127.0.0.1:11434", "ftp://127.0.0.1/x",
                    "provider.base_url must be an absolute http:// or https:// URL"},
                new String[] {session, "{\"id\": \"s\", \"prompt\": \"hi\", \"scorer\": \"exakt\"}",
                    "Unknown quality scorer id 'exakt'"},
                new String[] {session, "{\"id\": \"s\", \"prompt\": \"hi\", \"scorer\": \"exact\"}",
                    "needs the 'expected' setting"},
                new String[] {"\"repetitions\": 2", "\"repetitions\": 2, \"sidecar\": {\"id\": \"nvidia\"}",
                    "Unknown sidecar id 'nvidia'"},
                new String[] {"\"base_url\"", "\"settings\": {\"kep_alive\": \"5m\"}, \"base_url\"",
                    "kep_alive"});
        for (String[] c : cases) {
            Path file = dir.resolve("sweep.json");
            String base = String.format(CONFIG, "");
            assertThat(base).contains(c[0]);
            Files.writeString(file, base.replace(c[0], c[1]));

            Cli cli = Cli.run("sweep", file.toString(), "--dry-run", "--out", out.toString());

            assertThat(cli.exitCode()).as(c[1] + ": " + cli.err()).isEqualTo(3);
            assertThat(cli.err()).as(c[1]).startsWith("orket: ").contains(c[2]).doesNotContain("Exception");
            assertThat(cli.err().strip().lines()).as(c[1]).hasSize(1);
            assertThat(out).as(c[1]).doesNotExist();
        }
    }

    @Test
    @DisplayName("an API key variable that is not set fails the dry run too, without printing any value")
    void apiKeyVariable(@TempDir Path dir) throws IOException {
        Path file = config(dir, "");
        Files.writeString(file, Files.readString(file).replace("\"base_url\"",
                "\"api_key_env\": \"ORKET_TEST_SURELY_UNSET_VARIABLE\", \"base_url\""));

        Cli cli = Cli.run("sweep", file.toString(), "--dry-run");

        assertThat(cli.exitCode()).isEqualTo(3);
        assertThat(cli.err()).contains("provider.api_key_env names ORKET_TEST_SURELY_UNSET_VARIABLE but that"
                + " environment variable is not set");
    }

    @Test
    @DisplayName("sweep_id \"../escaped\" is refused before anything is written")
    void escapingSweepId(@TempDir Path dir) throws IOException {
        Path file = config(dir, ", \"sweep_id\": \"../escaped\"");

        Cli cli = Cli.run("sweep", file.toString());

        assertThat(cli.exitCode()).isEqualTo(3);
        assertThat(cli.err()).contains("sweep_id must be 1 to 128 of [A-Za-z0-9._-] without '..'");
        assertThat(Path.of("escaped")).doesNotExist();
        assertThat(Path.of("orket-out")).doesNotExist();
    }

    @Test
    @DisplayName("--out into a non-empty directory that is not Orket's, or inside another sweep's, is refused")
    void refusedOutputDirectories(@TempDir Path dir) throws IOException {
        Path file = config(dir, "");
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");

        Cli foreign = Cli.run("sweep", file.toString(), "--dry-run", "--out", mine.toString());

        assertThat(foreign.exitCode()).isEqualTo(3);
        assertThat(foreign.err()).contains("Output directory " + mine + " is not empty and is not an Orket output"
                + " directory");
        try (Stream<Path> entries = Files.list(mine)) {
            assertThat(entries).containsExactly(mine.resolve("notes.txt"));
        }

        Path demo = dir.resolve("demo");
        assertThat(Cli.run("demo", "--out", demo.toString(), "--repetitions", "1").exitCode()).isZero();
        Cli nested = Cli.run("demo", "--out", demo.resolve("sidecar").resolve("again").toString());
        assertThat(nested.exitCode()).isEqualTo(3);
        assertThat(nested.err()).contains("lies inside the Orket output directory " + demo.toAbsolutePath());
        Cli resumeNothing = Cli.run("sweep", file.toString(), "--resume", "--out", dir.resolve("nothing").toString());
        assertThat(resumeNothing.exitCode()).isEqualTo(3);
        assertThat(resumeNothing.err()).contains("--resume needs --out naming an existing sweep directory");
    }

    @Test
    @DisplayName("report counts a repeated ledger line once with a warning, and refuses another sweep's records")
    void reportLedgerChecks(@TempDir Path dir) throws IOException {
        Path demo = dir.resolve("demo");
        assertThat(Cli.run("demo", "--out", demo.toString(), "--repetitions", "1").exitCode()).isZero();
        Path ledger = demo.resolve("runs.jsonl");
        List<String> lines = Files.readAllLines(ledger);
        Files.writeString(ledger, lines.get(0) + "\n", java.nio.file.StandardOpenOption.APPEND);

        Cli repeated = Cli.run("report", demo.toString());

        assertThat(repeated.exitCode()).as(repeated.err()).isZero();
        assertThat(repeated.err()).contains("warning: runs.jsonl line " + (lines.size() + 1) + " repeats line 1 (run ");
        assertThat(Files.readString(demo.resolve("summary.json"))).contains("\"total_runs\" : " + lines.size());

        Files.writeString(ledger, lines.get(1).replace("\"sweep_id\":\"demo\"", "\"sweep_id\":\"other\"") + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Cli foreign = Cli.run("report", demo.toString());
        assertThat(foreign.exitCode()).isEqualTo(3);
        assertThat(foreign.err()).contains("of sweep 'other', but this directory's sweep is 'demo'");
    }

    @Test
    @DisplayName("a config nested 100,000 deep is one clear line, not a parser's internal failure")
    void deepConfig(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("deep.json");
        Files.writeString(file, "{\"provider\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}");

        Cli cli = Cli.run("sweep", file.toString(), "--dry-run");

        assertThat(cli.exitCode()).isEqualTo(3);
        assertThat(cli.err().strip()).isEqualTo("orket: Sweep config " + file + " nests objects or arrays deeper than"
                + " 16 levels; a sweep config nests at most 4 deep");
    }
}
