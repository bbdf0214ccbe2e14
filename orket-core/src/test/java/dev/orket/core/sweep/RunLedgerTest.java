package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.artifact.LedgerAttempts;
import dev.orket.core.kpi.TestRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A run ledger counts each run once, by its last attempt")
class RunLedgerTest {

    private static LedgerEntry entry(String runId, String output, int attempt) {
        return new LedgerEntry(TestRuns.run(runId).build(), "exact", 1.0, "sha-" + output, output, attempt);
    }

    @Test
    @DisplayName("a later attempt replaces the earlier one and survives a reopen; attempt 1 is written without the field")
    void attempts(@TempDir Path dir) {
        Path file = dir.resolve("runs.jsonl");
        try (RunLedger ledger = RunLedger.open(file)) {
            ledger.append(entry("r1", "first", 1));
            ledger.append(entry("r2", "other", 1));
            ledger.append(entry("r1", "second", 2));
            assertThat(ledger.entries()).extracting(LedgerEntry::outputText).containsExactly("second", "other");
            assertThatThrownBy(() -> ledger.append(entry("r1", "again", 2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run r1 already has attempt 2");
        }
        assertThat(RunLedger.readAll(file)).extracting(LedgerEntry::attempt).containsExactly(2, 1);
        try (RunLedger reopened = RunLedger.open(file)) {
            assertThat(reopened.entries()).extracting(LedgerEntry::outputText).containsExactly("second", "other");
            assertThat(reopened.duplicates()).isEmpty();
        }
        assertThat(RunLedger.toJson(entry("r", "x", 1))).doesNotContain("\"attempt\"");
        assertThat(RunLedger.toJson(entry("r", "x", 3))).endsWith(",\"attempt\":3}");
    }

    @Test
    @DisplayName("an identical duplicate line is ignored and reported; a different record of the same attempt names both"
            + " lines")
    void duplicates(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.jsonl");
        String r1 = RunLedger.toJson(entry("r1", "a", 1));
        Files.writeString(file, r1 + "\n" + RunLedger.toJson(entry("r2", "b", 1)) + "\n" + r1 + "\n");

        try (RunLedger ledger = RunLedger.open(file)) {
            assertThat(ledger.entries()).hasSize(2);
            assertThat(ledger.duplicates()).containsExactly(new LedgerAttempts.Duplicate("r1", 1, 3, 1));
        }

        Files.writeString(file, RunLedger.toJson(entry("r1", "changed", 1)) + "\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> RunLedger.open(file))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith("ledger " + file + " lines 1 and 4 are two different records of run r1"
                        + " attempt 1");
        assertThatThrownBy(() -> RunLedger.readAll(file)).hasMessageContaining("lines 1 and 4");
    }
}
