package dev.orket.core.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.artifact.LedgerAttempts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads a JSONL ledger into an aggregator so that each run counts once, by its last attempt, in two
 * streaming passes. The first reads each line only up to its {@code run_id} (the third key our
 * writer writes) and notes which run ids occur more than once, by a 64-bit hash: 18 to 36 bytes per
 * distinct run, with the table's load factor. The second reads every line whole and checks it (one
 * object per line, {@code run_id} once, the sweep), aggregates each line whose run occurs once as it
 * goes, and holds back the lines of runs that may occur more than once; those are resolved exactly
 * ({@link LedgerAttempts}, by run id and SHA-256 of the line) at the end, so a hash collision only
 * costs memory, never a wrong count.
 */
final class LedgerReader {

    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private final Path ledger;
    private final String source;
    private final LedgerCheck check;

    LedgerReader(Path ledger, LedgerCheck check) {
        this.ledger = ledger;
        this.source = ledger.toString();
        this.check = check;
    }

    /** A line held back: its run occurs more than once. */
    private record HeldBack(long line, int attempt, byte[] digest, RunSample sample, @Nullable Double score) {}

    LedgerReading readInto(KpiAggregator aggregator, QualityScores scores) throws IOException {
        RunIdTable table = new RunIdTable();
        try (InputStream in = Files.newInputStream(ledger)) {
            JsonLines.read(in, (number, bytes, offset, length) -> firstPass(table, bytes, offset, length));
        }
        LedgerScanner scanner = new LedgerScanner();
        RunSample sample = new RunSample();
        List<HeldBack> heldBack = new ArrayList<>();
        Set<String> missing = check.plannedRunIds() == null ? new HashSet<>() : new HashSet<>(check.plannedRunIds());
        Set<String> unplanned = new HashSet<>();
        try (InputStream in = Files.newInputStream(ledger)) {
            JsonLines.read(in, (number, bytes, offset, length) -> {
                if (isBlank(bytes, offset, length)) {
                    return;
                }
                try (JsonParser parser = FACTORY.createParser(bytes, offset, length)) {
                    JsonToken token = parser.nextToken();
                    if (token != JsonToken.START_OBJECT) {
                        throw new ArtifactFormatException("expected one JSON object per line but found " + token);
                    }
                    scanner.read(parser, sample);
                    if (parser.nextToken() != null) {
                        throw new ArtifactFormatException("expected one JSON object per line but found more after it");
                    }
                } catch (JsonProcessingException e) {
                    throw notJson(number, e);
                } catch (ArtifactFormatException e) {
                    throw new ArtifactFormatException("ledger " + source + " line " + number + ": " + e.getMessage(), e);
                }
                String expected = check.sweepId();
                if (expected != null && sample.sweepId != null && !expected.equals(sample.sweepId)) {
                    throw new ArtifactFormatException("ledger " + source + " line " + number + " records run "
                            + sample.runId + " of sweep '" + sample.sweepId + "', but this directory's sweep is '"
                            + expected + "'; a ledger holds one sweep. Move the other sweep's lines to its own"
                            + " directory.");
                }
                Double score = scoreOf(scores, sample);
                if (table.repeated(RunIdTable.hash(sample.runId))) {
                    heldBack.add(new HeldBack(number, sample.attempt, LedgerAttempts.lineDigest(bytes, offset, length),
                            sample.copy(), score));
                } else {
                    count(aggregator, sample, score, missing, unplanned);
                }
            });
        }
        LedgerAttempts attempts = new LedgerAttempts(source);
        List<HeldBack> offered = new ArrayList<>();
        for (HeldBack line : heldBack) {
            if (attempts.offer(line.sample().runId, line.attempt(), line.line(), line.digest())) {
                offered.add(line);
            }
        }
        long superseded = 0;
        for (HeldBack line : offered) {
            if (attempts.countingLine(line.sample().runId) == line.line()) {
                count(aggregator, line.sample(), line.score(), missing, unplanned);
            } else {
                superseded++;
            }
        }
        return new LedgerReading(aggregator.summary(), attempts.duplicates(), superseded,
                check.plannedRunIds() == null ? List.of() : List.copyOf(new TreeSet<>(missing)),
                check.plannedRunIds() == null ? 0 : unplanned.size());
    }

    private void count(KpiAggregator aggregator, RunSample sample, @Nullable Double score, Set<String> missing,
            Set<String> unplanned) {
        Set<String> planned = check.plannedRunIds();
        if (planned != null && !missing.remove(sample.runId) && !planned.contains(sample.runId)) {
            unplanned.add(sample.runId);
        }
        aggregator.addSample(sample, score);
    }

    /**
     * Reads a line up to its {@code run_id} and adds it to the table. A line that cannot be read is left to
     * the second pass, which reads every line whole and names what is wrong with it.
     */
    private static void firstPass(RunIdTable table, byte[] bytes, int offset, int length) throws IOException {
        if (isBlank(bytes, offset, length)) {
            return;
        }
        try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken value = p.nextToken();
                if (name.equals("run_id") && value == JsonToken.VALUE_STRING) {
                    // The rest of the line is not needed here; the second pass refuses a line with two run ids.
                    table.add(RunIdTable.hash(p.getText()));
                    return;
                }
                p.skipChildren();
            }
        } catch (JsonProcessingException e) {
            // Named by the second pass, with its line number.
        }
    }

    private ArtifactFormatException notJson(long number, JsonProcessingException e) {
        return new ArtifactFormatException("ledger " + source + " is not valid JSONL: " + e.getOriginalMessage()
                + " at line " + number, e);
    }

    /**
     * The run's quality score: the explicit score source's, else the line's own {@code quality_score} (a sweep
     * ledger line carries it), else null.
     */
    static @Nullable Double scoreOf(QualityScores scores, RunSample sample) {
        Double score = scores.scoreOf(sample.runId);
        if (score == null && !Double.isNaN(sample.recordedQualityScore)) {
            score = sample.recordedQualityScore;
        }
        return score;
    }

    /** Whether a line holds only blanks (spaces, tabs, carriage returns). */
    static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** An open-addressing set of 64-bit run id hashes that remembers which were added more than once. */
    static final class RunIdTable {
        private long[] keys = new long[1024];
        private byte[] counts = new byte[1024];
        private int size;

        /** FNV-1a over the id's characters, then a 64-bit finalizer so that similar ids spread. */
        static long hash(String runId) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < runId.length(); i++) {
                h ^= runId.charAt(i);
                h *= 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            // 0 marks an empty slot.
            return h == 0 ? 1 : h;
        }

        void add(long key) {
            int slot = slot(keys, key);
            if (keys[slot] == key) {
                counts[slot] = 2;
                return;
            }
            keys[slot] = key;
            counts[slot] = 1;
            if (++size * 2 > keys.length) {
                grow();
            }
        }

        boolean repeated(long key) {
            int slot = slot(keys, key);
            return keys[slot] == key && counts[slot] > 1;
        }

        private static int slot(long[] table, long key) {
            int mask = table.length - 1;
            int i = (int) (key ^ (key >>> 32)) & mask;
            while (table[i] != 0 && table[i] != key) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private void grow() {
            long[] oldKeys = keys;
            byte[] oldCounts = counts;
            keys = new long[oldKeys.length * 2];
            counts = new byte[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    int slot = slot(keys, oldKeys[i]);
                    keys[slot] = oldKeys[i];
                    counts[slot] = oldCounts[i];
                }
            }
        }
    }
}
