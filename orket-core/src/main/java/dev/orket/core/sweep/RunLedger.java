package dev.orket.core.sweep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.api.RunTelemetry;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.artifact.LedgerAttempts;
import dev.orket.core.artifact.TelemetryJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An append-only JSONL run ledger: one line per run attempt, written and forced to disk before the
 * next run starts, so that a sweep killed at any moment resumes without losing or repeating a
 * completed run. A torn last line (a kill mid-write) is detected on open, moved aside and reported; a
 * corrupt line anywhere else is an error naming its line number. Each run counts once, by its last
 * attempt ({@link LedgerAttempts}): a line repeating an earlier one byte for byte is ignored and
 * reported ({@link #duplicates()}); two different lines for one run and attempt are an error naming
 * both.
 *
 * @since 0.1
 */
public final class RunLedger implements AutoCloseable {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final Path file;
    private FileChannel channel;
    /** The entry that counts for each run, in the order runs first appeared. */
    private final Map<String, LedgerEntry> counted;
    private final List<LedgerAttempts.Duplicate> duplicates;
    private final @Nullable TornLine tornLine;

    /**
     * What a kill mid-write left at the end of a ledger.
     *
     * @param lineNumber the 1-based line number of the torn line
     * @param bytes how many bytes it had
     * @param movedTo where its bytes were moved
     */
    public record TornLine(int lineNumber, int bytes, Path movedTo) {}

    private RunLedger(Path file, FileChannel channel, Contents contents, @Nullable TornLine tornLine) {
        this.file = file;
        this.channel = channel;
        this.counted = contents.counted;
        this.duplicates = contents.duplicates;
        this.tornLine = tornLine;
    }

    /** The entries that count, one per run, and the duplicates ignored on the way. */
    private static final class Contents {
        final Map<String, LedgerEntry> counted = new LinkedHashMap<>();
        final List<LedgerAttempts.Duplicate> duplicates = new ArrayList<>();
    }

    /** Resolves parsed lines (in file order) to one entry per run. */
    private static Contents resolve(Path file, List<ParsedLine> lines) {
        LedgerAttempts attempts = new LedgerAttempts(file.toString());
        List<ParsedLine> offered = new ArrayList<>();
        for (ParsedLine line : lines) {
            if (attempts.offer(line.entry().runId(), line.entry().attempt(), line.number(), line.digest())) {
                offered.add(line);
            }
        }
        Contents contents = new Contents();
        for (ParsedLine line : offered) {
            String runId = line.entry().runId();
            contents.counted.putIfAbsent(runId, line.entry());
            if (attempts.countingLine(runId) == line.number()) {
                contents.counted.put(runId, line.entry());
            }
        }
        contents.duplicates.addAll(attempts.duplicates());
        return contents;
    }

    /** One complete line: its number, what it holds and the digest of its bytes. */
    private record ParsedLine(long number, LedgerEntry entry, byte[] digest) {}

    /**
     * Opens a ledger for appending, reading what it already holds.
     *
     * @throws ArtifactFormatException when a line other than the last cannot be read, or two lines record
     *     the same run attempt differently
     */
    public static RunLedger open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            List<ParsedLine> lines = new ArrayList<>();
            TornLine torn = null;
            if (Files.exists(file)) {
                byte[] bytes = Files.readAllBytes(file);
                int lineStart = 0;
                int lineNumber = 0;
                long goodEnd = 0;
                while (lineStart < bytes.length) {
                    lineNumber++;
                    int newline = indexOf(bytes, (byte) '\n', lineStart);
                    boolean complete = newline >= 0;
                    int lineEnd = complete ? newline : bytes.length;
                    String line = new String(bytes, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
                    LedgerEntry entry = null;
                    if (!line.isBlank()) {
                        try {
                            entry = parse(line);
                        } catch (ArtifactFormatException e) {
                            boolean last = !complete || lineEnd + 1 >= bytes.length;
                            if (!last) {
                                throw new ArtifactFormatException(
                                        "ledger " + file + " line " + lineNumber + ": " + e.getMessage(), e);
                            }
                        }
                    }
                    if (!complete || (entry == null && !line.isBlank())) {
                        Path aside = file.resolveSibling(file.getFileName() + ".torn-" + System.nanoTime());
                        Files.write(aside, java.util.Arrays.copyOfRange(bytes, lineStart, lineEnd));
                        torn = new TornLine(lineNumber, lineEnd - lineStart, aside);
                        break;
                    }
                    if (entry != null) {
                        lines.add(new ParsedLine(lineNumber, entry,
                                LedgerAttempts.lineDigest(bytes, lineStart, lineEnd - lineStart)));
                    }
                    goodEnd = lineEnd + 1;
                    lineStart = lineEnd + 1;
                }
                if (torn != null) {
                    try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        truncate.truncate(goodEnd);
                        truncate.force(true);
                    }
                }
            }
            Contents contents = resolve(file, lines);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return new RunLedger(file, channel, contents, torn);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open run ledger " + file, e);
        }
    }

    /**
     * Reads the entries that count (one per run, its last attempt) without opening the ledger for writing;
     * a torn last line is skipped.
     *
     * @throws ArtifactFormatException when a line other than the last cannot be read, or two lines record
     *     the same run attempt differently
     */
    public static List<LedgerEntry> readAll(Path file) {
        try {
            List<ParsedLine> parsed = new ArrayList<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    byte[] bytes = lines.get(i).getBytes(StandardCharsets.UTF_8);
                    parsed.add(new ParsedLine(i + 1, parse(lines.get(i)),
                            LedgerAttempts.lineDigest(bytes, 0, bytes.length)));
                } catch (ArtifactFormatException e) {
                    if (i < lines.size() - 1) {
                        throw new ArtifactFormatException("ledger " + file + " line " + (i + 1) + ": " + e.getMessage(),
                                e);
                    }
                }
            }
            return List.copyOf(resolve(file, parsed).counted.values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run ledger " + file, e);
        }
    }

    /** The entries that count, one per run (its last attempt), in the order the runs first appeared. */
    public synchronized List<LedgerEntry> entries() {
        return List.copyOf(counted.values());
    }

    /** The lines ignored on open because they repeat an earlier line byte for byte. */
    public List<LedgerAttempts.Duplicate> duplicates() {
        return duplicates;
    }

    /** The torn last line found on open, or null. */
    public @Nullable TornLine tornLine() {
        return tornLine;
    }

    /** The ledger's path. */
    public Path file() {
        return file;
    }

    /** Whether an attempt of the run is already recorded. */
    public synchronized boolean contains(String runId) {
        return counted.containsKey(runId);
    }

    /** The run's last recorded attempt, or null when it has none. */
    public synchronized @Nullable LedgerEntry last(String runId) {
        return counted.get(runId);
    }

    /**
     * Appends one entry as one line and forces it to disk before returning.
     *
     * @throws IllegalArgumentException when the run already has this attempt or a later one
     */
    public synchronized void append(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        LedgerEntry earlier = counted.get(entry.runId());
        if (earlier != null && earlier.attempt() >= entry.attempt()) {
            throw new IllegalArgumentException("run " + entry.runId() + " already has attempt " + earlier.attempt()
                    + " in " + file + "; a new line must record a later attempt but recorded " + entry.attempt());
        }
        byte[] line = (toJson(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        // An interrupt (a cancelled sweep) must not close the channel mid-line: the write runs with the flag cleared,
        // and the flag is restored afterwards for the caller to act on.
        boolean interrupted = Thread.interrupted();
        try {
            writeWhole(line);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        counted.put(entry.runId(), entry);
    }

    private void writeWhole(byte[] line) {
        long before = -1;
        try {
            before = channel.size();
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (ClosedByInterruptException e) {
            // Interrupted mid-write after all: reopen, cut what was written of the line, and write it whole.
            boolean interrupted = Thread.interrupted();
            try {
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
                if (before >= 0) {
                    channel.truncate(before);
                }
                channel.position(channel.size());
                writeWhole(line);
            } catch (IOException reopen) {
                throw new UncheckedIOException("cannot append to run ledger " + file + " after an interrupt: "
                        + reopen.getMessage(), reopen);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to run ledger " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close run ledger " + file, e);
        }
    }

    /** One entry as one JSON line: the telemetry record's keys plus the ledger's own. */
    public static String toJson(LedgerEntry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            TelemetryJson.writeFields(entry.telemetry(), g);
            g.writeStringField("scorer", entry.scorer());
            if (entry.qualityScore() == null) {
                g.writeNullField("quality_score");
            } else {
                g.writeNumberField("quality_score", entry.qualityScore());
            }
            g.writeStringField("output_sha256", entry.outputSha256());
            g.writeStringField("output_text", entry.outputText());
            if (entry.attempt() > 1) {
                g.writeNumberField("attempt", entry.attempt());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads one ledger line.
     *
     * @throws ArtifactFormatException naming the field and value when the line cannot be read
     */
    public static LedgerEntry parse(String line) {
        RunTelemetry telemetry = TelemetryJson.fromJson(line);
        String scorer = "";
        Double score = null;
        String sha = "";
        String text = "";
        int attempt = 1;
        try (JsonParser p = FACTORY.createParser(line)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                switch (name) {
                    case "scorer":
                        scorer = token == JsonToken.VALUE_NULL ? "" : p.getText();
                        break;
                    case "quality_score":
                        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
                            score = p.getDoubleValue();
                        } else if (token != JsonToken.VALUE_NULL) {
                            throw new ArtifactFormatException(
                                    "field quality_score must be a number but was '" + p.getText() + "'");
                        }
                        break;
                    case "output_sha256":
                        sha = token == JsonToken.VALUE_NULL ? "" : p.getText();
                        break;
                    case "output_text":
                        text = token == JsonToken.VALUE_NULL ? "" : p.getText();
                        break;
                    case "attempt":
                        attempt = LedgerAttempts.readAttempt(p);
                        break;
                    default:
                        p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ArtifactFormatException("ledger line is not valid JSON: " + e.getMessage(), e);
        }
        return new LedgerEntry(telemetry, scorer, score, sha, text, attempt);
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
