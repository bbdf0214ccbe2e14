package dev.orket.core.kpi;

import dev.orket.api.ExecutionLane;
import dev.orket.api.HardwareFlag;
import dev.orket.api.JsonNamed;
import dev.orket.api.ThrottleReason;
import dev.orket.api.VramProfile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The fast path of ledger aggregation: reads the KPI fields of one ledger line straight from its
 * bytes and skips the rest with a validating skipper, filling the same fields as
 * {@link LedgerScanner} and judging the record with its {@code finish}.
 *
 * <p>A line looks like {@code {"schema_version":1,"record_type":"run_telemetry","run_id":"r-7",
 * "model":"mistral-7b",...,"sidecar":{"sample_count":3,"peak_vram_used_mb":5818,...}}}. The
 * skipper checks the full JSON grammar of what it skips (strings with their escapes, numbers,
 * literals, nesting), so a line is read here only if Jackson would read it too. Whatever this class
 * does not handle exactly as Jackson does &mdash; an escape inside a key or a needed string, a
 * non-ASCII byte in a string, a number outside the exact fast path, a value of an unexpected type,
 * a second object on the line, deep nesting &mdash; makes {@link #read} return {@code false}, and
 * the caller reads that line with Jackson instead: exact results are kept by construction, speed
 * only where the input is the common case.
 */
final class LedgerLineScanner extends JsonCursor {

    private static final KeyTable KEYS = new KeyTable();

    private static final Names<ExecutionLane> LANES = new Names<>(ExecutionLane.values());
    private static final Names<VramProfile> PROFILES = new Names<>(VramProfile.values());
    private static final byte[] PEAK_VRAM = ascii("peak_vram_used_mb");
    private static final byte[] THROTTLE_REASONS = ascii("throttle_reasons_seen");

    private static final int UNPREDICTED = -2;
    private static final int MAX_PREDICTED_FIELDS = 256;
    private static final int MAX_PREDICTED_VALUE_BYTES = 4096;
    private static final long RETRY_AFTER_RECORDS = 64;

    private final LedgerScanner fields = new LedgerScanner();
    private byte[][] keyBytes = new byte[0][];
    private int[] keyIds = new int[0];
    private byte[][] valueBytes = new byte[0][];
    private long[] retryAfter = new long[0];
    private long records;
    private boolean runIdSeen;
    private final StringCache strings = new StringCache();
    /** The sample the current {@link #read} fills, for the consumers below. */
    private RunSample sample = new RunSample();
    /** Made once: a reader of a ledger's lines must not allocate a lambda per record. */
    private final Consumer<String> addInvalidReason = reason -> fields.invalidReasons.add(reason);
    private final Consumer<String> addQualityReason = reason -> fields.addQualityReason(reason, sample);
    private final Consumer<String> addHardwareFlag =
            flag -> sample.hardwareFlags.add(JsonNamed.fromArtifact(HardwareFlag.class, flag));
    private final Consumer<String> addThrottleReason =
            reason -> sample.throttleReasons.add(JsonNamed.fromArtifact(ThrottleReason.class, reason));

    /**
     * Reads one record from {@code bytes[start, limit)}, stopping after the object and the blanks
     * that follow it: the caller checks that a line break (or the end of its chunk) comes next, see
     * {@link #position()}. Line breaks are never skipped, so a record never runs past its line.
     *
     * @return 1 when a record was read, 0 when there is only blank space before the line break, -1
     *     when the line must be read by Jackson (the sample is then undefined)
     * @throws dev.orket.core.artifact.ArtifactFormatException when the record was read but fails its
     *     checks (the caller reads the line with Jackson again for the exact message)
     */
    int read(byte[] bytes, int start, int limit, RunSample s) {
        b = bytes;
        pos = start;
        end = limit;
        sample = s;
        try {
            skipWhitespace();
            if (pos == end || b[pos] == '\n') {
                return 0;
            }
            if (b[pos] != '{') {
                return -1;
            }
            fields.reset(s);
            runIdSeen = false;
            readFields(s);
            skipWhitespace();
        } catch (Fallback e) {
            return -1;
        }
        fields.finish(s);
        return 1;
    }

    /** Where the last {@link #read} stopped. */
    int position() {
        return pos;
    }

    private void readFields(RunSample s) {
        if (!enter('{', '}')) {
            return;
        }
        records++;
        for (int field = 0;; field++) {
            // A predicted key comes with its colon: the remembered bytes run from the quote to the colon.
            int key = predictedKey(field);
            if (key == UNPREDICTED) {
                int keyStart = pos;
                plainString();
                key = KEYS.find(b, stringStart, stringEnd);
                skipWhitespace();
                expect(':');
                rememberKey(field, keyStart, key);
            }
            skipWhitespace();
            if (key == KeyTable.NONE) {
                skipField(field);
            } else {
                readValue(key, s);
            }
            if (!continues('}')) {
                return;
            }
        }
    }

    /*
     * Shape prediction. A ledger's records share their keys, in the same order, and many skipped values
     * (metric_provenance, record_type, provider, ...) repeat from record to record. The bytes of the
     * top-level key at each position, and of the skipped value there, are remembered from the last record
     * that had them; when the next record holds the very same bytes, they are the same key, or the same
     * value that was validated when first seen, and are passed over by comparison instead of scanning.
     * Bytes that differ are read as usual: a prediction only ever saves work, it never decides a value.
     */

    /** Key id at a field position when the line repeats the remembered key bytes there, else UNPREDICTED. */
    private int predictedKey(int field) {
        if (field >= keyBytes.length) {
            return UNPREDICTED;
        }
        byte[] key = keyBytes[field];
        if (key == null || pos + key.length > end || !same(b, pos, key)) {
            return UNPREDICTED;
        }
        pos += key.length;
        return keyIds[field];
    }

    private void rememberKey(int field, int keyStart, int key) {
        if (field >= MAX_PREDICTED_FIELDS) {
            return;
        }
        growPredictions(field);
        int length = pos - keyStart;
        byte[] old = keyBytes[field];
        if (old == null || old.length != length || !same(b, keyStart, old)) {
            keyBytes[field] = Arrays.copyOfRange(b, keyStart, pos);
        }
        keyIds[field] = key;
    }

    /** Skips the value of a field nobody reads, by comparison with the remembered value where it repeats. */
    private void skipField(int field) {
        boolean predict = field < MAX_PREDICTED_FIELDS && records >= retryAt(field);
        if (predict && field < valueBytes.length) {
            byte[] value = valueBytes[field];
            int n = value == null ? 0 : value.length;
            if (value != null && pos + n <= end && sameLong(b, pos, value)
                    && (pos + n == end || isDelimiter(b[pos + n]))) {
                pos += n;
                return;
            }
        }
        int start = pos;
        skipValue(0);
        if (predict) {
            growPredictions(field);
            int n = pos - start;
            byte[] old = valueBytes[field];
            if (old != null) {
                // It changed: values that change from record to record are not worth remembering for a while.
                retryAfter[field] = records + RETRY_AFTER_RECORDS;
            }
            valueBytes[field] = n <= MAX_PREDICTED_VALUE_BYTES ? Arrays.copyOfRange(b, start, pos) : null;
        }
    }

    private long retryAt(int field) {
        return field < retryAfter.length ? retryAfter[field] : 0;
    }

    private void growPredictions(int field) {
        if (field >= keyBytes.length) {
            int size = Math.min(MAX_PREDICTED_FIELDS, Math.max(field + 1, keyBytes.length * 2));
            keyBytes = Arrays.copyOf(keyBytes, size);
            keyIds = Arrays.copyOf(keyIds, size);
            valueBytes = Arrays.copyOf(valueBytes, size);
            retryAfter = Arrays.copyOf(retryAfter, size);
        }
    }

    private void readValue(int key, RunSample s) {
        LedgerScanner f = fields;
        switch (key) {
            case KeyTable.SCHEMA_VERSION:
                f.schemaVersion = smallInt();
                break;
            case KeyTable.RUN_ID:
                if (runIdSeen) {
                    // Two run ids in one record: Jackson's path names the error.
                    throw new Fallback();
                }
                runIdSeen = true;
                f.runId = nullableString(false);
                break;
            case KeyTable.SWEEP_ID:
                s.sweepId = nullableString(true);
                break;
            case KeyTable.ATTEMPT:
                // LedgerAttempts.readAttempt: null is 1, else an integer >= 1 that fits an int.
                s.attempt = nullLiteral() ? 1 : positiveInt();
                break;
            case KeyTable.MODEL:
                f.model = nullableString(true);
                break;
            case KeyTable.MODEL_FAMILY:
                String family = nullableString(true);
                if (family != null) {
                    f.modelFamily = family;
                }
                break;
            case KeyTable.QUANT_TAG:
                s.quantTag = nullableString(true);
                break;
            case KeyTable.CONTEXT_SIZE:
                s.contextSize = nullLiteral() ? null : Integer.valueOf(positiveInt());
                break;
            case KeyTable.EXECUTION_LANE:
                s.lane = named(LANES);
                break;
            case KeyTable.VRAM_PROFILE:
                s.profile = named(PROFILES);
                break;
            case KeyTable.TERMINAL_STATE:
                // Labels are kept as text, as the Jackson path keeps them: a newer writer's spelling is judged there.
                f.terminalState = nullableString(true);
                break;
            case KeyTable.TOKEN_METRICS_STATUS:
                f.tokenStatus = nullableString(true);
                break;
            case KeyTable.RUN_QUALITY_STATUS:
                f.qualityStatus = nullableString(true);
                break;
            case KeyTable.RUN_QUALITY_REASONS:
                readStrings(addQualityReason);
                break;
            case KeyTable.HARDWARE_FLAGS:
                readStrings(addHardwareFlag);
                break;
            case KeyTable.VALID:
                f.valid = bool();
                break;
            case KeyTable.INVALID_REASONS:
                readStrings(addInvalidReason);
                break;
            case KeyTable.CLIENT_TTFT_MS:
                s.clientTtftMs = number();
                break;
            case KeyTable.GENERATION_TOKENS_PER_SECOND:
                s.generationTokensPerSecond = number();
                break;
            case KeyTable.PROMPT_TOKENS_PER_SECOND:
                s.promptTokensPerSecond = number();
                break;
            case KeyTable.WALL_SECONDS:
                s.wallSeconds = number();
                break;
            case KeyTable.ORCHESTRATION_OVERHEAD_RATIO:
                s.overheadRatio = number();
                break;
            case KeyTable.SIDECAR:
                readSidecar(s);
                break;
            case KeyTable.QUALITY_SCORE:
                s.recordedQualityScore = number();
                break;
            default:
                skipValue(0);
        }
    }

    private void readSidecar(RunSample s) {
        if (!enter('{', '}')) {
            return;
        }
        while (true) {
            plainString();
            boolean peak = stringEnd - stringStart == PEAK_VRAM.length && same(b, stringStart, PEAK_VRAM);
            boolean throttle = stringEnd - stringStart == THROTTLE_REASONS.length
                    && same(b, stringStart, THROTTLE_REASONS);
            skipWhitespace();
            expect(':');
            skipWhitespace();
            if (peak) {
                s.peakVramMb = number();
            } else if (throttle) {
                readStrings(addThrottleReason);
            } else {
                skipValue(1);
            }
            if (!continues('}')) {
                return;
            }
        }
    }

    /** Reads an array of plain strings (an escape goes to Jackson), handing each to the consumer. */
    private void readStrings(Consumer<String> each) {
        if (!enter('[', ']')) {
            return;
        }
        do {
            plainString();
            each.accept(strings.get(b, stringStart, stringEnd));
        } while (continues(']'));
    }

    /** A positive int (an attempt, a context size); anything else goes to Jackson, whose path names the error. */
    private int positiveInt() {
        int value = smallInt();
        if (value < 1) {
            throw new Fallback();
        }
        return value;
    }

    private @Nullable String nullableString(boolean cached) {
        if (nullLiteral()) {
            return null;
        }
        plainString();
        // Only ASCII reaches here (scanString refuses other bytes), so Latin-1 decoding is exact.
        return cached
                ? strings.get(b, stringStart, stringEnd)
                : new String(b, stringStart, stringEnd - stringStart, StandardCharsets.ISO_8859_1);
    }

    private <E extends Enum<E> & JsonNamed> @Nullable E named(Names<E> names) {
        if (nullLiteral()) {
            return null;
        }
        plainString();
        return match(names);
    }

    private <E extends Enum<E> & JsonNamed> E match(Names<E> names) {
        for (int i = 0; i < names.bytes.length; i++) {
            byte[] name = names.bytes[i];
            if (name.length == stringEnd - stringStart && same(b, stringStart, name)) {
                return names.constants[i];
            }
        }
        // Unknown name: Jackson's path throws the error that names it.
        throw new Fallback();
    }

    private static final class Names<E extends Enum<E> & JsonNamed> {
        final E[] constants;
        final byte[][] bytes;

        Names(E[] constants) {
            this.constants = constants;
            this.bytes = new byte[constants.length][];
            for (int i = 0; i < constants.length; i++) {
                bytes[i] = ascii(constants[i].jsonName());
            }
        }
    }

    /** The top-level keys KPIs read, found by open addressing over their bytes. */
    private static final class KeyTable {
        static final int NONE = -1;
        static final int SCHEMA_VERSION = 0;
        static final int RUN_ID = 1;
        static final int MODEL = 2;
        static final int MODEL_FAMILY = 3;
        static final int QUANT_TAG = 4;
        static final int EXECUTION_LANE = 5;
        static final int VRAM_PROFILE = 6;
        static final int TERMINAL_STATE = 7;
        static final int FAILURE_KIND = 8;
        static final int TOKEN_METRICS_STATUS = 9;
        static final int RUN_QUALITY_STATUS = 10;
        static final int RUN_QUALITY_REASONS = 11;
        static final int VALID = 12;
        static final int INVALID_REASONS = 13;
        static final int CLIENT_TTFT_MS = 14;
        static final int GENERATION_TOKENS_PER_SECOND = 15;
        static final int PROMPT_TOKENS_PER_SECOND = 16;
        static final int WALL_SECONDS = 17;
        static final int ORCHESTRATION_OVERHEAD_RATIO = 18;
        static final int SIDECAR = 19;
        static final int QUALITY_SCORE = 20;
        static final int SWEEP_ID = 21;
        static final int ATTEMPT = 22;
        static final int HARDWARE_FLAGS = 23;
        static final int CONTEXT_SIZE = 24;

        private static final String[] NAMES = {
            "schema_version", "run_id", "model", "model_family", "quant_tag", "execution_lane", "vram_profile",
            "terminal_state", "failure_kind", "token_metrics_status", "run_quality_status", "run_quality_reasons",
            "valid", "invalid_reasons", "client_ttft_ms", "generation_tokens_per_second", "prompt_tokens_per_second",
            "wall_seconds", "orchestration_overhead_ratio", "sidecar", "quality_score", "sweep_id", "attempt",
            "hardware_flags", "context_size"
        };

        private static final int BITS = 9;
        private static final int SLOTS = 1 << BITS;
        private final byte[][] keys = new byte[SLOTS][];
        private final int[] ids = new int[SLOTS];
        private final long[] heads = new long[SLOTS];
        private final long[] tails = new long[SLOTS];

        KeyTable() {
            for (int id = 0; id < NAMES.length; id++) {
                byte[] key = ascii(NAMES[id]);
                long head = head(key, 0, key.length);
                long tail = tail(key, 0, key.length);
                int slot = slot(head, tail, key.length);
                while (keys[slot] != null) {
                    slot = (slot + 1) & (SLOTS - 1);
                }
                keys[slot] = key;
                ids[slot] = id;
                heads[slot] = head;
                tails[slot] = tail;
            }
        }

        /** The first eight bytes (fewer, zero-padded, for a shorter key). */
        private static long head(byte[] b, int from, int to) {
            if (to - from >= 8) {
                return (long) LONGS.get(b, from);
            }
            long word = 0;
            for (int i = to - 1; i >= from; i--) {
                word = (word << 8) | (b[i] & 0xFF);
            }
            return word;
        }

        /** The last eight bytes, or 0 for a key shorter than eight. */
        private static long tail(byte[] b, int from, int to) {
            return to - from >= 8 ? (long) LONGS.get(b, to - 8) : 0;
        }

        private static int slot(long head, long tail, int length) {
            long mixed = (head * 0x9E3779B97F4A7C15L) ^ (tail * 0xC2B2AE3D27D4EB4FL) ^ length;
            return (int) (mixed >>> (64 - BITS));
        }

        int find(byte[] b, int from, int to) {
            int length = to - from;
            long head = head(b, from, to);
            long tail = tail(b, from, to);
            int slot = slot(head, tail, length);
            while (true) {
                byte[] key = keys[slot];
                if (key == null) {
                    return NONE;
                }
                // Head and tail cover a key of up to 16 bytes; a longer one compares its middle too.
                if (key.length == length && heads[slot] == head && tails[slot] == tail
                        && (length <= 16 || same(b, from, key))) {
                    return ids[slot];
                }
                slot = (slot + 1) & (SLOTS - 1);
            }
        }
    }

    /**
     * The few distinct strings of a ledger (models, quant tags, invalid reasons) decoded once each:
     * a cell key's strings are shared by every run of the cell.
     */
    private static final class StringCache {
        private static final int SLOTS = 256;
        private final byte[][] keys = new byte[SLOTS][];
        private final String[] values = new String[SLOTS];

        String get(byte[] b, int from, int to) {
            int len = to - from;
            int h = len;
            for (int i = from; i < to; i++) {
                h = h * 31 + b[i];
            }
            int slot = h & (SLOTS - 1);
            byte[] key = keys[slot];
            String value = values[slot];
            if (key != null && value != null && key.length == len && same(b, from, key)) {
                return value;
            }
            String decoded = new String(b, from, len, StandardCharsets.ISO_8859_1);
            // A collision evicts: the cache only saves work, it never decides a value.
            keys[slot] = Arrays.copyOfRange(b, from, to);
            values[slot] = decoded;
            return decoded;
        }
    }
}
