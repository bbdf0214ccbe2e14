package dev.orket.core.stream;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A strict, allocation-free cursor over one small JSON object, for the fast path of a provider's per-token
 * decoding: a stream event is read field by field with no parser to create and no symbol table to consult, and
 * only the fields a decoder asks for become strings or numbers. Jackson stays the authority: every method answers
 * {@code false} for anything outside the plain subset it reads (an escape other than {@code \" \\ \/ \b \f \n \r
 * \t}, a number with a fraction or exponent, a nesting deeper than 32, trailing bytes), and the decoder then parses
 * the same bytes with Jackson, which accepts or refuses them with its own message. What this cursor accepts is valid
 * JSON (RFC 8259) and reads as Jackson reads it; {@code JsonScanProperties} checks that on generated and captured
 * events. Sample of what it reads quickly:
 *
 * <pre>
 * {"index":0,"content":"ight","tokens":[523],"stop":false,"id_slot":-1,"tokens_predicted":1,"tokens_evaluated":10}
 * {"model":"m","created_at":"2026-08-22T09:30:00.0031Z","response":"ight","done":false}
 * </pre>
 *
 * <p>Strings are checked for well-formed UTF-8 (no overlong form, no surrogate, nothing above U+10FFFF) and for
 * control characters, as a JSON parser must. Not thread-safe; one instance per stream, reused from event to event.
 *
 * @since 0.2
 */
public final class JsonScan {

    private static final int MAX_DEPTH = 32;

    private byte[] bytes = new byte[0];
    private int pos;
    private int end;
    private int nameStart;
    private int nameEnd;
    private int valueStart;
    private int valueEnd;
    private boolean escaped;
    private long number;
    /** Whether the next field is the object's first (no comma before it). */
    private boolean first;
    /** Whether the last {@link #nextField()} that answered false met the object's proper end. */
    private boolean ended;
    private final StringBuilder unescaped = new StringBuilder();
    /** Whether the last {@link #stringOrSkip()} read a string (else it skipped another value, or failed). */
    private boolean optionalIsString;

    /** A cursor with nothing to read yet. */
    public JsonScan() {}

    /** A field name as {@link #nameIs} takes it: the name's ASCII bytes, made once into a constant. */
    public static byte[] name(String asciiName) {
        return asciiName.getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts reading an object from the bytes; false when they do not start with one (after whitespace). */
    public boolean begin(byte[] source, int offset, int length) {
        bytes = source;
        pos = offset;
        end = offset + length;
        skipSpace();
        if (pos >= end || bytes[pos] != '{') {
            return false;
        }
        pos++;
        first = true;
        return true;
    }

    /**
     * Reads the next field's name and the colon after it: true with the name set, false at the end of the object
     * ({@link #fieldsEnded()} tells a proper end from bytes it cannot read).
     */
    public boolean nextField() {
        skipSpace();
        if (pos >= end) {
            ended = false;
            return false;
        }
        if (bytes[pos] == '}') {
            pos++;
            ended = true;
            return false;
        }
        if (!first) {
            if (bytes[pos] != ',') {
                ended = false;
                return false;
            }
            pos++;
            skipSpace();
        }
        first = false;
        if (!string() || escaped) {
            ended = false;
            return false;
        }
        nameStart = valueStart;
        nameEnd = valueEnd;
        skipSpace();
        if (pos >= end || bytes[pos] != ':') {
            ended = false;
            return false;
        }
        pos++;
        skipSpace();
        return true;
    }

    /** After {@link #nextField()} answered false: whether the object ended properly with {@code }}. */
    public boolean fieldsEnded() {
        return ended;
    }

    /** The current field's name as text (allocates: for messages and tests, not the hot path). */
    public String name() {
        return new String(bytes, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8);
    }

    /** The current field's first byte (0 for an empty name): a cheap filter before {@link #nameIs}. */
    public byte nameFirstByte() {
        return nameEnd > nameStart ? bytes[nameStart] : 0;
    }

    /** Whether the current field's name is the given ASCII name. */
    public boolean nameIs(byte[] name) {
        int length = nameEnd - nameStart;
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[nameStart + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the current field's name is one of the given ASCII names. */
    public boolean nameIsAnyOf(byte[][] names) {
        for (byte[] name : names) {
            if (nameIs(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The next value's first byte (a quote, an opening brace or bracket, a digit, {@code -}, {@code t}, {@code f},
     * {@code n}), or 0 at the end.
     */
    public byte peek() {
        skipSpace();
        return pos < end ? bytes[pos] : 0;
    }

    /** Reads a string value; false when the value is not a string this cursor reads. */
    public boolean stringValue() {
        return string();
    }

    /**
     * Reads a field that a decoder takes only as a string: a string value is read for {@link #stringOrNull()}, any
     * other value is skipped and reads as null there, as a Jackson reader skips a value of the wrong type. False
     * when the value is not one this cursor reads.
     */
    public boolean stringOrSkip() {
        if (peek() == '"') {
            optionalIsString = string();
            return optionalIsString;
        }
        optionalIsString = false;
        return skipValue();
    }

    /** After {@link #stringOrSkip()} answered true: the string's text, or null when the value was not a string. */
    public @Nullable String stringOrNull() {
        return optionalIsString ? text() : null;
    }

    /** The text of the string value just read. */
    public String text() {
        if (!escaped) {
            return new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
        }
        return unescaped.toString();
    }

    /** Whether the string value just read is empty. */
    public boolean textIsEmpty() {
        return valueEnd == valueStart;
    }

    /** Reads an integer value (no fraction, no exponent, at most 18 digits); false otherwise. */
    public boolean longValue() {
        int start = pos;
        boolean negative = pos < end && bytes[pos] == '-';
        if (negative) {
            pos++;
        }
        int digits = pos;
        long value = 0;
        while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
            value = value * 10 + (bytes[pos] - '0');
            pos++;
        }
        int count = pos - digits;
        if (count == 0 || count > 18 || (count > 1 && bytes[digits] == '0')) {
            return false;
        }
        if (pos < end && (bytes[pos] == '.' || bytes[pos] == 'e' || bytes[pos] == 'E')) {
            pos = start;
            return false;
        }
        number = negative ? -value : value;
        return true;
    }

    /** The integer value just read. */
    public long number() {
        return number;
    }

    /** Reads {@code true} or {@code false}; false when the value is neither. Then {@link #bool()} is the value. */
    public boolean boolValue() {
        if (literal(TRUE)) {
            number = 1;
            return true;
        }
        if (literal(FALSE)) {
            number = 0;
            return true;
        }
        return false;
    }

    /** The boolean just read. */
    public boolean bool() {
        return number != 0;
    }

    /** Reads {@code null}; false when the value is not null. */
    public boolean nullValue() {
        return literal(NULL);
    }

    /** Enters an object value: its fields follow with {@link #nextField()}. False when the value is not an object. */
    public boolean enterObject() {
        if (pos >= end || bytes[pos] != '{') {
            return false;
        }
        pos++;
        first = true;
        return true;
    }

    /**
     * Reads an array value, validating every element, and returns how many it holds, or -1 when it is not an array
     * this cursor reads.
     */
    public int arrayLength() {
        if (pos >= end || bytes[pos] != '[') {
            return -1;
        }
        pos++;
        skipSpace();
        if (pos < end && bytes[pos] == ']') {
            pos++;
            return 0;
        }
        int count = 0;
        while (true) {
            if (!skipValue(1)) {
                return -1;
            }
            count++;
            skipSpace();
            if (pos >= end) {
                return -1;
            }
            byte c = bytes[pos++];
            if (c == ']') {
                return count;
            }
            if (c != ',') {
                return -1;
            }
            skipSpace();
        }
    }

    /**
     * Enters an array value for its first element: true when the array holds at least one element and the cursor
     * stands on it. Use {@link #skipRestOfArray()} after reading it.
     */
    public boolean enterArray() {
        if (pos >= end || bytes[pos] != '[') {
            return false;
        }
        pos++;
        skipSpace();
        return pos < end && bytes[pos] != ']';
    }

    /** After an element: validates and skips the array's other elements and its end; false when it cannot. */
    public boolean skipRestOfArray() {
        while (true) {
            skipSpace();
            if (pos >= end) {
                return false;
            }
            byte c = bytes[pos++];
            if (c == ']') {
                return true;
            }
            if (c != ',' || !skipValue(1)) {
                return false;
            }
        }
    }

    /** Validates and skips the current value, whatever it is; false when it is not one this cursor reads. */
    public boolean skipValue() {
        return skipValue(0);
    }

    /** Whether nothing but whitespace is left after the object. */
    public boolean atEnd() {
        skipSpace();
        return pos == end;
    }

    private boolean skipValue(int depth) {
        if (depth > MAX_DEPTH || pos >= end) {
            return false;
        }
        byte c = bytes[pos];
        switch (c) {
            case '"':
                return string();
            case '{':
                pos++;
                boolean firstField = true;
                while (true) {
                    skipSpace();
                    if (pos >= end) {
                        return false;
                    }
                    if (bytes[pos] == '}') {
                        pos++;
                        return true;
                    }
                    if (!firstField) {
                        if (bytes[pos++] != ',') {
                            return false;
                        }
                        skipSpace();
                    }
                    firstField = false;
                    if (!string()) {
                        return false;
                    }
                    skipSpace();
                    if (pos >= end || bytes[pos++] != ':') {
                        return false;
                    }
                    skipSpace();
                    if (!skipValue(depth + 1)) {
                        return false;
                    }
                }
            case '[':
                pos++;
                skipSpace();
                if (pos < end && bytes[pos] == ']') {
                    pos++;
                    return true;
                }
                while (true) {
                    if (!skipValue(depth + 1)) {
                        return false;
                    }
                    skipSpace();
                    if (pos >= end) {
                        return false;
                    }
                    byte next = bytes[pos++];
                    if (next == ']') {
                        return true;
                    }
                    if (next != ',') {
                        return false;
                    }
                    skipSpace();
                }
            case 't':
                return literal(TRUE);
            case 'f':
                return literal(FALSE);
            case 'n':
                return literal(NULL);
            default:
                return skipInteger();
        }
    }

    /** Skips an integer as {@link #longValue()} reads it, without computing it. */
    private boolean skipInteger() {
        int at = pos;
        if (at < end && bytes[at] == '-') {
            at++;
        }
        int digits = at;
        while (at < end && bytes[at] >= '0' && bytes[at] <= '9') {
            at++;
        }
        int count = at - digits;
        if (count == 0 || count > 18 || (count > 1 && bytes[digits] == '0')
                || (at < end && (bytes[at] == '.' || bytes[at] == 'e' || bytes[at] == 'E'))) {
            return false;
        }
        pos = at;
        return true;
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private boolean literal(byte[] word) {
        if (end - pos < word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (bytes[pos + i] != word[i]) {
                return false;
            }
        }
        int after = pos + word.length;
        if (after < end && isWordByte(bytes[after])) {
            return false;
        }
        pos = after;
        return true;
    }

    private static boolean isWordByte(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    }

    /**
     * Reads a string: valid UTF-8, no control character, simple escapes only. Sets the value range (between the
     * quotes) and, when it held escapes, the unescaped text.
     */
    private boolean string() {
        if (pos >= end || bytes[pos] != '"') {
            return false;
        }
        pos++;
        valueStart = pos;
        escaped = false;
        while (pos < end) {
            int b = bytes[pos];
            if (b > '"' && b != '\\') {
                // The common case first: printable ASCII, neither a quote nor an escape.
                pos++;
                continue;
            }
            if (b == '"') {
                valueEnd = pos;
                pos++;
                if (escaped) {
                    return unescape();
                }
                return true;
            }
            if (b == '\\') {
                escaped = true;
                pos++;
                if (pos >= end) {
                    return false;
                }
                switch (bytes[pos]) {
                    case '"':
                    case '\\':
                    case '/':
                    case 'b':
                    case 'f':
                    case 'n':
                    case 'r':
                    case 't':
                        pos++;
                        continue;
                    default:
                        // Unicode escapes (and anything else) are Jackson's to read.
                        return false;
                }
            }
            if (b >= 0 && b < 0x20) {
                return false;
            }
            if (b >= 0) {
                pos++;
                continue;
            }
            int skip = utf8Sequence(pos);
            if (skip == 0) {
                return false;
            }
            pos += skip;
        }
        return false;
    }

    private boolean unescape() {
        unescaped.setLength(0);
        String raw = new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                unescaped.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'b':
                    unescaped.append('\b');
                    break;
                case 'f':
                    unescaped.append('\f');
                    break;
                case 'n':
                    unescaped.append('\n');
                    break;
                case 'r':
                    unescaped.append('\r');
                    break;
                case 't':
                    unescaped.append('\t');
                    break;
                default:
                    unescaped.append(e);
                    break;
            }
        }
        return true;
    }

    /** The length of the well-formed UTF-8 sequence at the position, or 0 when it is not one. */
    private int utf8Sequence(int at) {
        int b0 = bytes[at] & 0xFF;
        int length;
        int min;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            length = 2;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            length = 3;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            length = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (at + length > end) {
            return 0;
        }
        int code = b0 & (0xFF >> (length + 1));
        for (int i = 1; i < length; i++) {
            int b = bytes[at + i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                return 0;
            }
            code = (code << 6) | (b & 0x3F);
        }
        if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            return 0;
        }
        return length;
    }

    private void skipSpace() {
        while (pos < end) {
            byte b = bytes[pos];
            // Compact JSON has no whitespace at all: one comparison answers for every structural byte.
            if (b > ' ' || (b != ' ' && b != '\t' && b != '\n' && b != '\r')) {
                return;
            }
            pos++;
        }
    }
}
