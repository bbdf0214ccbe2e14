package dev.orket.core.inventory;

import dev.orket.api.OrketException;

/**
 * A GGUF file's header is malformed, truncated or exceeds a safety bound. The message names the
 * file, the byte offset and the field.
 *
 * @since 0.1
 */
public final class GgufFormatException extends OrketException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String field;

    public GgufFormatException(String file, long offset, String field, String problem) {
        super("GGUF file " + file + ": field '" + field + "' at offset " + offset + ": " + problem);
        this.offset = offset;
        this.field = field;
    }

    /** The byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }

    /** The header field being read, e.g. {@code metadata[3].key}. */
    public String field() {
        return field;
    }
}
