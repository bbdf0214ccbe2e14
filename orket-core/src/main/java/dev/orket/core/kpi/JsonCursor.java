package dev.orket.core.kpi;

import com.fasterxml.jackson.core.io.NumberInput;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over JSON bytes for {@link LedgerLineScanner}: blanks, punctuation, strings scanned eight
 * bytes at a time, numbers read as Jackson reads them, and a validating skipper for values nobody
 * reads (the whole JSON grammar: strings and their escapes, numbers, literals, nesting). Anything it
 * does not handle exactly as Jackson does throws {@link Fallback}, and the line goes to Jackson.
 */
abstract class JsonCursor {

    /** Deeper nesting than this in a skipped value goes to Jackson (whose own limit is 1,000). */
    private static final int MAX_DEPTH = 200;

    /** Numbers longer than this go to Jackson, which enforces its own length limit. */
    private static final int MAX_NUMBER_LENGTH = 100;

    private static final long MAX_EXACT_MANTISSA = 1L << 53;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22
    };

    /** Byte classes inside a string: 0 plain, 1 ends or escapes (quote, backslash), 2 refused here. */
    private static final byte[] STRING_CLASS = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            STRING_CLASS[i] = (byte) (i < 0x20 || i >= 0x80 ? 2 : 0);
        }
        STRING_CLASS['"'] = 1;
        STRING_CLASS['\\'] = 1;
    }

    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;

    static final byte[] TRUE = ascii("true");
    static final byte[] FALSE = ascii("false");
    static final byte[] NULL = ascii("null");

    // The line being read and where the cursor is; subclasses read records through these.
    byte[] b = new byte[0];
    int pos;
    int end;
    int stringStart;
    int stringEnd;
    boolean stringEscaped;
    private final char[] digitChars = new char[MAX_NUMBER_LENGTH];

    /** Thrown to leave a line to Jackson; carries no stack trace, since it is control flow. */
    static final class Fallback extends RuntimeException {
        Fallback() {
            super(null, null, false, false);
        }
    }

    static boolean isDelimiter(byte c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r';
    }

    /** {@link #same} for long values, through the vectorized mismatch of {@link Arrays#equals}. */
    static boolean sameLong(byte[] b, int from, byte[] value) {
        return value.length <= 32 ? same(b, from, value)
                : Arrays.equals(b, from, from + value.length, value, 0, value.length);
    }

    /**
     * After an object's member ({@code close} is its brace) or an array's element (its bracket): true at a comma,
     * the blanks after it skipped, false at the closing byte.
     */
    final boolean continues(char close) {
        skipWhitespace();
        byte c = next();
        if (c == close) {
            return false;
        }
        if (c != ',') {
            throw new Fallback();
        }
        skipWhitespace();
        return true;
    }

    /**
     * Consumes an object's or an array's opening byte and the blanks after it: false when it is empty (its closing
     * byte consumed too), true with the cursor on its first member.
     */
    final boolean enter(char open, char close) {
        expect(open);
        skipWhitespace();
        if (peek() == close) {
            pos++;
            return false;
        }
        return true;
    }

    /** Consumes a {@code null} and answers true, or answers false with the cursor still on the value. */
    final boolean nullLiteral() {
        if (peek() == 'n') {
            literal(NULL);
            return true;
        }
        return false;
    }

    /**
     * Reads a string, from its opening quote, whose content has no escape into {@code [stringStart, stringEnd)}; a
     * string with an escape goes to Jackson, which decodes it.
     */
    final void plainString() {
        expect('"');
        scanString();
        if (stringEscaped) {
            throw new Fallback();
        }
    }

    final boolean bool() {
        byte c = peek();
        if (c == 't') {
            literal(TRUE);
            return true;
        }
        if (c == 'f') {
            literal(FALSE);
            return false;
        }
        throw new Fallback();
    }

    final int smallInt() {
        int start = pos;
        int value = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9' && pos - start < 9) {
            value = value * 10 + (b[pos] - '0');
            pos++;
        }
        if (pos == start || (b[start] == '0' && pos - start > 1) || pos == end || isNumberByte(b[pos])) {
            throw new Fallback();
        }
        return value;
    }

    static boolean isNumberByte(byte c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
    }

    /**
     * A JSON number as the double Jackson's {@code getDoubleValue} gives, or NaN for null. Integers
     * of up to 18 digits convert as a {@code long} does (so {@code -0} is {@code 0.0}, as in Jackson);
     * decimals whose digits form an integer below 2⁵³ with a power-of-ten exponent within ±22 are
     * one correctly rounded IEEE operation (Clinger's fast path); anything else is parsed by
     * Jackson's {@link NumberInput#parseDouble(char[], int, int, boolean)}.
     */
    final double number() {
        byte first = peek();
        if (first == 'n') {
            literal(NULL);
            return Double.NaN;
        }
        int start = pos;
        boolean negative = first == '-';
        if (negative) {
            pos++;
        }
        // Up to 18 digits fit a long exactly; more go to Double.parseDouble.
        long mantissa = 0;
        int digits = 0;
        int intStart = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            if (digits < 18) {
                mantissa = mantissa * 10 + (b[pos] - '0');
            }
            digits++;
            pos++;
        }
        if (pos == intStart || (b[intStart] == '0' && pos - intStart > 1)) {
            throw new Fallback();
        }
        int exponent = 0;
        boolean integral = true;
        if (pos < end && b[pos] == '.') {
            integral = false;
            pos++;
            int fracStart = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                if (digits < 18) {
                    mantissa = mantissa * 10 + (b[pos] - '0');
                    exponent--;
                }
                digits++;
                pos++;
            }
            if (pos == fracStart) {
                throw new Fallback();
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            integral = false;
            pos++;
            boolean negativeExponent = false;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                negativeExponent = b[pos] == '-';
                pos++;
            }
            int expStart = pos;
            int explicit = 0;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                if (explicit < 100_000) {
                    explicit = explicit * 10 + (b[pos] - '0');
                }
                pos++;
            }
            if (pos == expStart) {
                throw new Fallback();
            }
            exponent += negativeExponent ? -explicit : explicit;
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw new Fallback();
        }
        if (digits <= 18) {
            if (integral) {
                // As Jackson converts an integer token: through a long, so "-0" is 0.0.
                return (double) (negative ? -mantissa : mantissa);
            }
            if (mantissa <= MAX_EXACT_MANTISSA && exponent >= -22 && exponent <= 22) {
                double value = exponent < 0 ? mantissa / POWERS_OF_TEN[-exponent] : mantissa * POWERS_OF_TEN[exponent];
                return negative ? -value : value;
            }
        }
        // Jackson's own parser for the rest (what getDoubleValue uses with USE_FAST_DOUBLE_PARSER).
        int length = pos - start;
        for (int k = 0; k < length; k++) {
            digitChars[k] = (char) b[start + k];
        }
        return NumberInput.parseDouble(digitChars, 0, length, true);
    }

    final void skipValue(int depth) {
        byte c = peek();
        switch (c) {
            case '"':
                pos++;
                scanString();
                return;
            case '{':
                skipObject(depth + 1);
                return;
            case '[':
                skipArray(depth + 1);
                return;
            case 't':
                literal(TRUE);
                return;
            case 'f':
                literal(FALSE);
                return;
            case 'n':
                literal(NULL);
                return;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    skipNumber();
                    return;
                }
                throw new Fallback();
        }
    }

    /** Checks the grammar of a number nobody reads: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    final void skipNumber() {
        int start = pos;
        if (b[pos] == '-') {
            pos++;
        }
        int intStart = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        if (pos == intStart || (b[intStart] == '0' && pos - intStart > 1)) {
            throw new Fallback();
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            int fracStart = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            if (pos == fracStart) {
                throw new Fallback();
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            int expStart = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            if (pos == expStart) {
                throw new Fallback();
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw new Fallback();
        }
    }

    final void skipObject(int depth) {
        if (depth > MAX_DEPTH) {
            throw new Fallback();
        }
        if (!enter('{', '}')) {
            return;
        }
        while (true) {
            expect('"');
            scanString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            skipValue(depth);
            if (!continues('}')) {
                return;
            }
        }
    }

    final void skipArray(int depth) {
        if (depth > MAX_DEPTH) {
            throw new Fallback();
        }
        if (!enter('[', ']')) {
            return;
        }
        do {
            skipValue(depth);
        } while (continues(']'));
    }

    /**
     * Scans a string whose opening quote was consumed, leaving {@code pos} after the closing quote
     * and the content in {@code [stringStart, stringEnd)}. Escapes are checked as JSON defines them.
     */
    final void scanString() {
        byte[] bytes = b;
        int i = pos;
        int limit = end;
        stringStart = i;
        stringEscaped = false;
        while (true) {
            // Eight bytes at a time while none of them is a quote, a backslash, a control or a non-ASCII byte.
            while (i + 8 <= limit) {
                long x = (long) LONGS.get(bytes, i);
                long quotes = x ^ QUOTES;
                long backslashes = x ^ BACKSLASHES;
                long special = (((quotes - ONES) & ~quotes) | ((backslashes - ONES) & ~backslashes)
                                | ((x - SPACES) & ~x) | x)
                        & HIGHS;
                if (special != 0) {
                    // The lowest flagged byte is a true match: borrows only travel towards higher bytes.
                    i += Long.numberOfTrailingZeros(special) >>> 3;
                    break;
                }
                i += 8;
            }
            if (i >= limit) {
                throw new Fallback();
            }
            byte c = bytes[i];
            int cls = STRING_CLASS[c & 0xFF];
            if (cls == 0) {
                i++;
                continue;
            }
            if (cls == 2) {
                throw new Fallback();
            }
            if (c == '"') {
                stringEnd = i;
                pos = i + 1;
                return;
            }
            stringEscaped = true;
            i = escape(bytes, i + 1, limit);
        }
    }

    static int escape(byte[] bytes, int i, int limit) {
        if (i >= limit) {
            throw new Fallback();
        }
        switch (bytes[i]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                return i + 1;
            case 'u':
                if (i + 4 >= limit) {
                    throw new Fallback();
                }
                for (int k = 1; k <= 4; k++) {
                    if (Character.digit(bytes[i + k], 16) < 0) {
                        throw new Fallback();
                    }
                }
                return i + 5;
            default:
                throw new Fallback();
        }
    }

    final void literal(byte[] word) {
        int n = word.length;
        if (pos + n > end) {
            throw new Fallback();
        }
        for (int k = 0; k < n; k++) {
            if (b[pos + k] != word[k]) {
                throw new Fallback();
            }
        }
        pos += n;
        if (pos < end) {
            byte c = b[pos];
            // Jackson refuses "nullx" or "true1"; a delimiter or whitespace must follow.
            if (c != ',' && c != '}' && c != ']' && c != ' ' && c != '\t' && c != '\r') {
                throw new Fallback();
            }
        }
    }

    final void skipWhitespace() {
        // Most JSON has no blanks at all: one comparison says so (every blank is at most 0x20).
        if (pos < end && b[pos] > ' ') {
            return;
        }
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    final byte peek() {
        if (pos >= end) {
            throw new Fallback();
        }
        return b[pos];
    }

    final byte next() {
        if (pos >= end) {
            throw new Fallback();
        }
        return b[pos++];
    }

    final void expect(char c) {
        if (pos >= end || b[pos] != c) {
            throw new Fallback();
        }
        pos++;
    }

    /**
     * Whether {@code b[from, from + key.length)} holds the key's bytes; the caller checked the length.
     * Eight bytes at a time: short keys are compared too often here for the general intrinsic to pay.
     */
    static boolean same(byte[] b, int from, byte[] key) {
        int n = key.length;
        if (n < 8) {
            for (int i = 0; i < n; i++) {
                if (b[from + i] != key[i]) {
                    return false;
                }
            }
            return true;
        }
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if ((long) LONGS.get(b, from + i) != (long) LONGS.get(key, i)) {
                return false;
            }
        }
        // The last, overlapping, eight bytes cover the rest.
        return i == n || (long) LONGS.get(b, from + n - 8) == (long) LONGS.get(key, n - 8);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

}
