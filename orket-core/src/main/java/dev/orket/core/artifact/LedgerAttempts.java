package dev.orket.core.artifact;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Resolves the lines of a run ledger to one line per run, the rules every ledger reader follows
 * ({@code docs/sweep.md}): a line may carry an integer {@code attempt} (1 when absent); a line
 * byte-identical to an earlier line of the same run is a duplicate, ignored and reported; two
 * different lines for the same run and attempt are an error naming both line numbers; of a run's
 * attempts, the highest counts.
 *
 * <p>Lines are offered in file order, each with a digest of its bytes (e.g. SHA-256), and the caller
 * asks afterwards which line counts for each run. Memory grows with the lines offered.
 *
 * @since 0.1
 */
public final class LedgerAttempts {

    /**
     * A line ignored because it repeats an earlier line of the same run byte for byte.
     *
     * @param runId the run
     * @param attempt the attempt both lines record
     * @param line the ignored line's 1-based number
     * @param firstLine the earlier line it repeats
     */
    public record Duplicate(String runId, int attempt, long line, long firstLine) {
        public Duplicate {
            Objects.requireNonNull(runId, "runId");
        }
    }

    /** One recorded attempt: where it is and what its bytes hash to. */
    private record Attempt(long line, byte[] digest) {}

    private final String source;
    private final Map<String, TreeMap<Integer, Attempt>> runs = new HashMap<>();
    private final List<Duplicate> duplicates = new ArrayList<>();

    /** Rules for the ledger named {@code source} in errors. */
    public LedgerAttempts(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Offers one line.
     *
     * @param runId the line's run id
     * @param attempt the line's attempt, at least 1
     * @param line the line's 1-based number
     * @param digest a digest of the line's bytes: equal digests mean identical lines
     * @return false when the line is an identical duplicate and is to be ignored
     * @throws ArtifactFormatException naming both lines when the run already has a different line for the attempt
     */
    public boolean offer(String runId, int attempt, long line, byte[] digest) {
        if (attempt < 1) {
            throw new ArtifactFormatException("ledger " + source + " line " + line + ": attempt must be >= 1 but was "
                    + attempt);
        }
        TreeMap<Integer, Attempt> attempts = runs.computeIfAbsent(runId, id -> new TreeMap<>());
        Attempt earlier = attempts.get(attempt);
        if (earlier == null) {
            attempts.put(attempt, new Attempt(line, digest.clone()));
            return true;
        }
        if (Arrays.equals(earlier.digest(), digest)) {
            duplicates.add(new Duplicate(runId, attempt, line, earlier.line()));
            return false;
        }
        throw new ArtifactFormatException("ledger " + source + " lines " + earlier.line() + " and " + line
                + " are two different records of run " + runId + " attempt " + attempt + "; a run's attempt is"
                + " recorded once. Keep the right line (or give the other its own attempt number) and run again.");
    }

    /** The number of the line that counts for a run (its highest attempt), or -1 when none was offered. */
    public long countingLine(String runId) {
        TreeMap<Integer, Attempt> attempts = runs.get(runId);
        return attempts == null ? -1 : attempts.lastEntry().getValue().line();
    }

    /** The attempt that counts for a run, or 0 when none was offered. */
    public int countingAttempt(String runId) {
        TreeMap<Integer, Attempt> attempts = runs.get(runId);
        return attempts == null ? 0 : attempts.lastKey();
    }

    /** Whether a line was offered for the run. */
    public boolean contains(String runId) {
        return runs.containsKey(runId);
    }

    /**
     * Reads a ledger line's optional {@code attempt} value, the parser on its token: an integer from 1
     * ({@code null} means 1).
     *
     * @throws ArtifactFormatException naming the value otherwise
     */
    public static int readAttempt(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return 1;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 1 || p.getLongValue() > Integer.MAX_VALUE) {
            throw new ArtifactFormatException("field attempt must be an integer >= 1 but was '" + p.getText() + "'");
        }
        return p.getIntValue();
    }

    /** The identical duplicates ignored so far, in file order. */
    public List<Duplicate> duplicates() {
        return List.copyOf(duplicates);
    }

    /**
     * The digest a ledger reader offers a line with ({@link #offer}): SHA-256 of its bytes, so two lines are the same
     * line exactly when their bytes are.
     *
     * @param bytes holds the line
     * @param offset where it starts
     * @param length its length in bytes
     */
    public static byte[] lineDigest(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, offset, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every JVM", e);
        }
    }
}
