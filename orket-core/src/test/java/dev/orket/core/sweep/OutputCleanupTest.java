package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Cleanup of ephemeral outputs")
class OutputCleanupTest {

    private static Path sweepDir(Path base) throws IOException {
        Path dir = Files.createDirectories(base.resolve("sweep"));
        Files.writeString(dir.resolve(SweepEngine.OUTPUT_MARKER), "x");
        Files.writeString(dir.resolve("runs.jsonl"), "{}\n");
        Files.writeString(dir.resolve("summary.json"), "{}");
        Files.writeString(dir.resolve("warmup.jsonl"), "{}\n");
        Files.writeString(dir.resolve("runs.jsonl.torn-1"), "{\"a\"");
        Files.createDirectories(dir.resolve("sidecar"));
        Files.writeString(dir.resolve("sidecar").resolve("r1.jsonl"), "{}\n");
        return dir;
    }

    @Test
    @DisplayName("dry-run is the default: it lists ephemeral files and deletes nothing")
    void dryRun(@TempDir Path base) throws IOException {
        Path dir = sweepDir(base);

        OutputCleanup.Plan plan = OutputCleanup.plan(dir);

        assertThat(plan.deletions()).extracting(p -> dir.toRealPath().relativize(p).toString())
                .containsExactly("sidecar/r1.jsonl", "runs.jsonl.torn-1", "sidecar", "warmup.jsonl");
        assertThat(dir.resolve("warmup.jsonl")).exists();
        assertThat(dir.resolve("sidecar").resolve("r1.jsonl")).exists();
    }

    @Test
    @DisplayName("apply deletes only the ephemeral files and keeps ledgers and summaries")
    void apply(@TempDir Path base) throws IOException {
        Path dir = sweepDir(base);

        OutputCleanup.apply(dir);

        assertThat(dir.resolve("warmup.jsonl")).doesNotExist();
        assertThat(dir.resolve("sidecar")).doesNotExist();
        assertThat(dir.resolve("runs.jsonl")).exists();
        assertThat(dir.resolve("summary.json")).exists();
    }

    @Test
    @DisplayName("a symbolic link out of the directory is never followed nor its target touched")
    void symlinkNotFollowed(@TempDir Path base) throws IOException {
        Path dir = sweepDir(base);
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("precious.tmp"), "keep me");
        Files.createSymbolicLink(dir.resolve("sidecar").resolve("escape"), outside);
        Files.createSymbolicLink(dir.resolve("link.tmp"), outside.resolve("precious.tmp"));

        OutputCleanup.Plan plan = OutputCleanup.apply(dir);

        assertThat(outside.resolve("precious.tmp")).hasContent("keep me");
        assertThat(plan.skippedLinks()).hasSize(2);
        Path real = dir.toRealPath();
        assertThat(plan.deletions()).allSatisfy(p -> assertThat(p.startsWith(real)).isTrue());
    }

    @Test
    @DisplayName("refuses /, the home directory and a directory that is not an Orket output directory")
    void refusals(@TempDir Path base) {
        assertThatThrownBy(() -> OutputCleanup.plan(Path.of("/")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("root");
        assertThatThrownBy(() -> OutputCleanup.plan(Path.of(System.getProperty("user.home"))))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> OutputCleanup.plan(base))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("not an Orket output directory");
    }
}
