package dev.orket.core.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the header of a GGUF file (versions 2 and 3): metadata and tensor infos, never tensor data.
 *
 * <p>Layout, little-endian: {@code "GGUF"}, {@code uint32 version}, {@code uint64 tensor_count},
 * {@code uint64 metadata_kv_count}, then {@code metadata_kv_count} × ({@code string key},
 * {@code uint32 type}, value) and {@code tensor_count} × ({@code string name}, {@code uint32 n_dims},
 * {@code n_dims} × {@code uint64 dim}, {@code uint32 ggml_type}, {@code uint64 offset}); a string is
 * {@code uint64 length} + UTF-8 bytes; tensor data starts at the next multiple of
 * {@code general.alignment} (32 by default).
 *
 * <p>Bounded: every count and length is checked against the bytes left in the file before it is
 * used, strings kept are at most {@link #MAX_KEPT_STRING_BYTES} (others are skipped without
 * allocation), arrays nest at most {@link #MAX_ARRAY_DEPTH} deep, and a tensor has at most 4
 * dimensions; the reader holds one 64 KiB buffer. Any violation is a {@link GgufFormatException}
 * naming the offset and field.
 *
 * @since 0.1
 */
public final class GgufReader {

    /** Longest metadata string kept (keys and the few string values read). */
    public static final int MAX_KEPT_STRING_BYTES = 65_536;

    /** Deepest nesting of metadata arrays accepted. */
    public static final int MAX_ARRAY_DEPTH = 3;

    private static final int MAGIC = 0x46554747;
    private static final int MAX_DIMS = 4;
    private static final int MAX_KEPT_VALUES = 256;

    private static final int T_UINT8 = 0;
    private static final int T_INT8 = 1;
    private static final int T_UINT16 = 2;
    private static final int T_INT16 = 3;
    private static final int T_UINT32 = 4;
    private static final int T_INT32 = 5;
    private static final int T_FLOAT32 = 6;
    private static final int T_BOOL = 7;
    private static final int T_STRING = 8;
    private static final int T_ARRAY = 9;
    private static final int T_UINT64 = 10;
    private static final int T_INT64 = 11;
    private static final int T_FLOAT64 = 12;

    private final String file;
    private final SeekableByteChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(65_536).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart;
    private final Map<String, Long> integers = new HashMap<>();
    private final Map<String, String> strings = new HashMap<>();

    private GgufReader(String file, SeekableByteChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        buffer.limit(0);
    }

    /**
     * Reads a file's header; a symbolic link is not followed.
     *
     * @throws GgufFormatException when the header is malformed, truncated or out of bounds
     * @throws UncheckedIOException when the file cannot be read
     */
    public static GgufHeader read(Path path) {
        try (SeekableByteChannel channel = Files.newByteChannel(path, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            return read(path.toString(), channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read GGUF file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads a header from a channel positioned anywhere; {@code file} names it in errors. */
    public static GgufHeader read(String file, SeekableByteChannel channel) throws IOException {
        channel.position(0);
        return new GgufReader(file, channel, channel.size()).readHeader();
    }

    private GgufHeader readHeader() throws IOException {
        if (u32("magic") != MAGIC) {
            throw fail(0, "magic", "not a GGUF file (expected 'GGUF')");
        }
        long versionAt = position();
        long version = u32("version");
        if (version != 2 && version != 3) {
            throw fail(versionAt, "version", "unsupported GGUF version " + version + "; expected 2 or 3");
        }
        long tensorCount = count("tensor_count", 24);
        long kvCount = count("metadata_kv_count", 13);
        for (long i = 0; i < kvCount; i++) {
            String field = "metadata[" + i + "]";
            String key = keptString(field + ".key");
            long typeAt = position();
            int type = (int) u32(field + ".type");
            readValue(field + " '" + key + "'", key, type, typeAt, 0);
        }
        long alignment = integer("general.alignment", 32L);
        if (alignment <= 0 || alignment > (1 << 20) || Long.bitCount(alignment) != 1) {
            throw fail(position(), "general.alignment", "alignment " + alignment + " is not a power of two <= 1 MiB");
        }
        long parameters = 0;
        long dataBytes = 0;
        for (long i = 0; i < tensorCount; i++) {
            String field = "tensor[" + i + "]";
            skipString(field + ".name");
            long dimsAt = position();
            long dims = u32(field + ".n_dims");
            if (dims > MAX_DIMS) {
                throw fail(dimsAt, field + ".n_dims", dims + " dimensions; at most " + MAX_DIMS + " are allowed");
            }
            long elements = 1;
            for (int d = 0; d < dims; d++) {
                long dimAt = position();
                long dim = u64(field + ".dims[" + d + "]");
                try {
                    if (dim < 0) {
                        throw new ArithmeticException("negative");
                    }
                    elements = Math.multiplyExact(elements, dim);
                } catch (ArithmeticException e) {
                    throw fail(dimAt, field + ".dims[" + d + "]", "dimension " + Long.toUnsignedString(dim)
                            + " overflows the element count");
                }
            }
            long typeAt = position();
            long typeId = u32(field + ".type");
            u64(field + ".offset");
            try {
                parameters = Math.addExact(parameters, elements);
                dataBytes = Math.addExact(dataBytes, GgmlType.byId(typeId).bytes(elements));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw fail(typeAt, field + ".type", e.getMessage() == null ? "size overflow" : e.getMessage());
            }
        }
        long end = position();
        long dataOffset = (end + alignment - 1) / alignment * alignment;
        String architecture = strings.get("general.architecture");
        if (architecture == null) {
            throw fail(end, "general.architecture", "missing");
        }
        Long fileType = integers.get("general.file_type");
        QuantType quant = fileType == null ? null : QuantType.fromFileType(fileType);
        String a = architecture + ".";
        Long headCount = integers.get(a + "attention.head_count");
        Long headCountKv = integers.get(a + "attention.head_count_kv");
        return new GgufHeader((int) version, tensorCount, kvCount, architecture, strings.get("general.name"), fileType,
                quant == null ? null : quant.tag(), parameters, integers.get(a + "context_length"),
                integers.get(a + "block_count"), integers.get(a + "embedding_length"), headCount,
                headCountKv == null ? headCount : headCountKv, integers.get(a + "attention.key_length"),
                integers.get(a + "attention.value_length"), alignment, dataOffset, dataBytes);
    }

    private long integer(String key, long fallback) {
        Long value = integers.get(key);
        return value == null ? fallback : value;
    }

    private void readValue(String field, @Nullable String key, int type, long typeAt, int depth) throws IOException {
        switch (type) {
            case T_UINT8:
            case T_INT8:
            case T_BOOL:
                keep(key, type == T_INT8 ? (long) (byte) u8(field) : u8(field));
                return;
            case T_UINT16:
            case T_INT16:
                long v16 = u16(field);
                keep(key, type == T_INT16 ? (long) (short) v16 : v16);
                return;
            case T_UINT32:
            case T_INT32:
                long v32 = u32(field);
                keep(key, type == T_INT32 ? (long) (int) v32 : v32);
                return;
            case T_UINT64:
            case T_INT64:
                keep(key, u64(field));
                return;
            case T_FLOAT32:
                skip(field, 4);
                return;
            case T_FLOAT64:
                skip(field, 8);
                return;
            case T_STRING:
                if (key != null && (key.equals("general.architecture") || key.equals("general.name"))) {
                    String value = keptString(field);
                    if (strings.size() < MAX_KEPT_VALUES) {
                        strings.putIfAbsent(key, value);
                    }
                } else {
                    skipString(field);
                }
                return;
            case T_ARRAY:
                if (depth >= MAX_ARRAY_DEPTH) {
                    throw fail(typeAt, field, "arrays nested deeper than " + MAX_ARRAY_DEPTH);
                }
                long elementTypeAt = position();
                int elementType = (int) u32(field + ".element_type");
                long fixed = fixedSize(elementType);
                if (fixed < 0 && elementType != T_STRING && elementType != T_ARRAY) {
                    throw fail(elementTypeAt, field + ".element_type", "unknown value type " + elementType);
                }
                long n = count(field + ".length", fixed > 0 ? fixed : 8);
                if (fixed > 0) {
                    skip(field, n * fixed);
                    return;
                }
                for (long i = 0; i < n; i++) {
                    readValue(field + "[" + i + "]", null, elementType, elementTypeAt, depth + 1);
                }
                return;
            default:
                throw fail(typeAt, field + ".type", "unknown value type " + Integer.toUnsignedString(type));
        }
    }

    private void keep(@Nullable String key, long value) {
        if (key != null && integers.size() < MAX_KEPT_VALUES) {
            integers.putIfAbsent(key, value);
        }
    }

    private static long fixedSize(int type) {
        switch (type) {
            case T_UINT8:
            case T_INT8:
            case T_BOOL:
                return 1;
            case T_UINT16:
            case T_INT16:
                return 2;
            case T_UINT32:
            case T_INT32:
            case T_FLOAT32:
                return 4;
            case T_UINT64:
            case T_INT64:
            case T_FLOAT64:
                return 8;
            default:
                return -1;
        }
    }

    /** A count whose elements take at least {@code minBytes} each, checked against the bytes left. */
    private long count(String field, long minBytes) throws IOException {
        long at = position();
        long n = u64(field);
        long left = size - position();
        if (n < 0 || n > left / minBytes) {
            throw fail(at, field, "count " + Long.toUnsignedString(n) + " cannot fit in the " + left
                    + " bytes left in the file (truncated or corrupt)");
        }
        return n;
    }

    private long stringLength(String field, long max) throws IOException {
        long at = position();
        long n = u64(field + ".length");
        long left = size - position();
        if (n < 0 || n > left) {
            throw fail(at, field + ".length", "string length " + Long.toUnsignedString(n) + " exceeds the " + left
                    + " bytes left in the file (truncated or corrupt)");
        }
        if (n > max) {
            throw fail(at, field + ".length", "string length " + n + " exceeds the limit of " + max + " bytes");
        }
        return n;
    }

    private void skipString(String field) throws IOException {
        skip(field, stringLength(field, Long.MAX_VALUE));
    }

    private String keptString(String field) throws IOException {
        long at = position();
        int n = (int) stringLength(field, MAX_KEPT_STRING_BYTES);
        byte[] bytes = new byte[n];
        int done = 0;
        while (done < n) {
            ensure(field, 1);
            int chunk = Math.min(n - done, buffer.remaining());
            buffer.get(bytes, done, chunk);
            done += chunk;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(at, field, "string is not valid UTF-8");
        }
    }

    private long position() {
        return bufferStart + buffer.position();
    }

    private void skip(String field, long n) throws IOException {
        long target = position() + n;
        if (n < 0 || target > size) {
            throw fail(position(), field, "needs " + n + " bytes but the file ends at " + size + " (truncated)");
        }
        if (target <= bufferStart + buffer.limit()) {
            buffer.position((int) (target - bufferStart));
            return;
        }
        channel.position(target);
        bufferStart = target;
        buffer.clear();
        buffer.limit(0);
    }

    private void ensure(String field, int n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        long at = position();
        buffer.compact();
        bufferStart = at;
        channel.position(at + buffer.position());
        while (buffer.position() < n) {
            int read = channel.read(buffer);
            if (read < 0) {
                buffer.flip();
                throw fail(at, field, "needs " + n + " bytes but the file ends at " + size + " (truncated)");
            }
        }
        buffer.flip();
    }

    private long u8(String field) throws IOException {
        ensure(field, 1);
        return buffer.get() & 0xFFL;
    }

    private long u16(String field) throws IOException {
        ensure(field, 2);
        return buffer.getShort() & 0xFFFFL;
    }

    private long u32(String field) throws IOException {
        ensure(field, 4);
        return buffer.getInt() & 0xFFFF_FFFFL;
    }

    private long u64(String field) throws IOException {
        ensure(field, 8);
        return buffer.getLong();
    }

    private GgufFormatException fail(long offset, String field, String problem) {
        return new GgufFormatException(file, offset, field, problem);
    }
}
