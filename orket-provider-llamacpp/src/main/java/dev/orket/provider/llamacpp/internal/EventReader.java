package dev.orket.provider.llamacpp.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.core.stream.JsonScan;
import dev.orket.core.stream.JsonValues;
import java.io.IOException;

/**
 * Reads the fields the provider needs out of one llama-server JSON object with Jackson's streaming
 * parser, skipping everything else without building it. One reader serves the native
 * {@code /completion} shape and the OpenAI chat shape:
 *
 * <pre>
 * {"index":0,"content":"ight","tokens":[523],"stop":false,"id_slot":-1,"tokens_predicted":1,...}
 * {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" ser"}}],"object":"chat.completion.chunk",...}
 * {"choices":[],...,"usage":{"completion_tokens":16,"prompt_tokens":42,"prompt_tokens_details":{"cached_tokens":41}},
 *  "timings":{"cache_n":41,"prompt_n":1,"prompt_ms":0.204,"predicted_n":16,"predicted_ms":3.541,...}}
 * {"error":{"code":400,"message":"...","type":"exceed_context_size_error","n_prompt_tokens":2401,"n_ctx":512}}
 * </pre>
 *
 * Invalid JSON and invalid UTF-8 are a {@link MalformedException}. A top-level array (a
 * multi-prompt result) is read as its first element.
 *
 * <p>The per-token events (a native partial, a chat delta chunk) are first read by the core's allocation-free
 * {@link JsonScan}; anything it does not read (a final event with {@code timings} or {@code usage}, an error,
 * a Unicode escape, a malformed event) is read by Jackson, to the same fields: the stream's hot path costs a
 * fraction of a Jackson parser's construction and symbol-table lookups.
 */
public final class EventReader {

    /** The object is not the JSON llama-server sends. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    private EventReader() {}

    private static final byte[] CONTENT = JsonScan.name("content");
    private static final byte[] TOKENS = JsonScan.name("tokens");
    private static final byte[] STOP = JsonScan.name("stop");
    private static final byte[] STOP_TYPE = JsonScan.name("stop_type");
    private static final byte[] TRUNCATED = JsonScan.name("truncated");
    private static final byte[] TOKENS_PREDICTED = JsonScan.name("tokens_predicted");
    private static final byte[] TOKENS_EVALUATED = JsonScan.name("tokens_evaluated");
    private static final byte[] CHOICES = JsonScan.name("choices");
    private static final byte[] FINISH_REASON = JsonScan.name("finish_reason");
    private static final byte[] DELTA = JsonScan.name("delta");
    private static final byte[] MESSAGE = JsonScan.name("message");
    private static final byte[] TEXT = JsonScan.name("text");
    private static final byte[][] JACKSON_ONLY = {JsonScan.name("timings"), JsonScan.name("usage"), JsonScan.name("error"),
        JsonScan.name("prompt_progress")};

    /** Whether the field is one the fast path leaves to Jackson (a final or error event's). */
    private static boolean jacksonOnly(JsonScan scan) {
        byte first = scan.nameFirstByte();
        if (first != 't' && first != 'u' && first != 'e' && first != 'p') {
            // index, id_slot, model and the like: never timings, usage, an error or progress.
            return false;
        }
        return scan.nameIsAnyOf(JACKSON_ONLY);
    }

    /**
     * Parses one JSON object into {@code into} (reset first): with the scan when it reads the event, else with
     * Jackson. The result is the same either way.
     */
    public static void read(JsonScan scan, byte[] bytes, int offset, int length, ParsedEvent into)
            throws MalformedException {
        if (!readFast(scan, bytes, offset, length, into)) {
            read(bytes, offset, length, into);
        }
    }

    /** The fast path: true when the scan read the whole event into {@code into}; false leaves it to Jackson. */
    static boolean readFast(JsonScan scan, byte[] bytes, int offset, int length, ParsedEvent e) {
        e.reset();
        if (!scan.begin(bytes, offset, length)) {
            return false;
        }
        while (scan.nextField()) {
            boolean read;
            if (scan.nameIs(CONTENT)) {
                read = scan.stringOrSkip();
                e.content = scan.stringOrNull();
            } else if (scan.nameIs(TOKENS)) {
                if (scan.peek() == '[') {
                    e.tokensLength = scan.arrayLength();
                    read = e.tokensLength >= 0;
                } else {
                    e.tokensLength = ParsedEvent.ABSENT;
                    read = scan.skipValue();
                }
            } else if (scan.nameIs(STOP)) {
                e.stop = scan.peek() == 't';
                read = scan.skipValue();
            } else if (scan.nameIs(TRUNCATED)) {
                e.truncated = scan.peek() == 't';
                read = scan.skipValue();
            } else if (scan.nameIs(STOP_TYPE)) {
                read = scan.stringOrSkip();
                e.stopType = scan.stringOrNull();
            } else if (scan.nameIs(TOKENS_PREDICTED)) {
                e.tokensPredicted = count(scan);
                read = e.tokensPredicted != READ_FAILED;
            } else if (scan.nameIs(TOKENS_EVALUATED)) {
                e.tokensEvaluated = count(scan);
                read = e.tokensEvaluated != READ_FAILED;
            } else if (scan.nameIs(CHOICES)) {
                read = choices(scan, e);
            } else {
                read = !jacksonOnly(scan) && scan.skipValue();
            }
            if (!read) {
                return false;
            }
        }
        return scan.fieldsEnded() && scan.atEnd();
    }

    /** Beyond what {@link JsonScan#longValue} can read (18 digits), so never a count the scan read. */
    private static final long READ_FAILED = Long.MIN_VALUE + 2;

    /**
     * A count field as {@link #countValue} reads it (as the server said it), or {@link #READ_FAILED} for a
     * number the scan leaves to Jackson (a fraction, an exponent, more than 18 digits).
     */
    private static long count(JsonScan scan) {
        byte first = scan.peek();
        if (first == '-' || (first >= '0' && first <= '9')) {
            return scan.longValue() ? scan.number() : READ_FAILED;
        }
        return scan.skipValue() ? ParsedEvent.ABSENT_COUNT : READ_FAILED;
    }

    /** {@code choices} with one object (finish_reason, delta or message, text); more than one is Jackson's. */
    private static boolean choices(JsonScan scan, ParsedEvent e) {
        if (scan.peek() != '[') {
            return scan.skipValue();
        }
        if (!scan.enterArray()) {
            // An empty array: the usage chunk of a chat stream, which Jackson reads (it carries timings).
            return false;
        }
        if (scan.peek() != '{' || !scan.enterObject()) {
            return false;
        }
        while (scan.nextField()) {
            boolean read;
            if (scan.nameIs(FINISH_REASON)) {
                read = scan.stringOrSkip();
                e.finishReason = scan.stringOrNull();
            } else if (scan.nameIs(DELTA) || scan.nameIs(MESSAGE)) {
                read = message(scan, e);
            } else if (scan.nameIs(TEXT)) {
                read = scan.stringOrSkip();
                e.content = scan.stringOrNull();
            } else {
                read = scan.skipValue();
            }
            if (!read) {
                return false;
            }
        }
        if (!scan.fieldsEnded() || scan.peek() != ']') {
            return false;
        }
        e.choices = 1;
        return scan.skipRestOfArray();
    }

    private static boolean message(JsonScan scan, ParsedEvent e) {
        if (scan.peek() != '{') {
            return scan.skipValue();
        }
        scan.enterObject();
        while (scan.nextField()) {
            if (!scan.nameIs(CONTENT)) {
                if (!scan.skipValue()) {
                    return false;
                }
            } else if (scan.stringOrSkip()) {
                e.content = scan.stringOrNull();
            } else {
                return false;
            }
        }
        return scan.fieldsEnded();
    }

    /** Parses one JSON object into {@code into} (reset first). */
    public static void read(byte[] bytes, int offset, int length, ParsedEvent into) throws MalformedException {
        into.reset();
        try (JsonParser p = JsonValues.factory().createParser(bytes, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                t = p.nextToken();
            }
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedException("expected a JSON object but found " + JsonValues.describe(t));
            }
            readRoot(p, into);
        } catch (IOException e) {
            throw new MalformedException("invalid JSON from llama-server: " + JsonValues.reason(e));
        }
    }

    private static void readRoot(JsonParser p, ParsedEvent e) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "content":
                    e.content = JsonValues.text(p, v);
                    break;
                case "tokens":
                    e.tokensLength = v == JsonToken.START_ARRAY ? countArray(p) : skip(p);
                    break;
                case "stop":
                    e.stop = v == JsonToken.VALUE_TRUE;
                    if (v == JsonToken.START_ARRAY || v == JsonToken.START_OBJECT) {
                        p.skipChildren();
                    }
                    break;
                case "prompt_progress":
                    e.promptProgress = v == JsonToken.START_OBJECT;
                    p.skipChildren();
                    break;
                case "stop_type":
                    e.stopType = JsonValues.text(p, v);
                    break;
                case "truncated":
                    e.truncated = v == JsonToken.VALUE_TRUE;
                    p.skipChildren();
                    break;
                case "tokens_predicted":
                    e.tokensPredicted = countValue(p, v);
                    break;
                case "tokens_evaluated":
                    e.tokensEvaluated = countValue(p, v);
                    break;
                case "timings":
                    if (v == JsonToken.START_OBJECT) {
                        e.hasTimings = true;
                        readTimings(p, e);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "usage":
                    if (v == JsonToken.START_OBJECT) {
                        e.hasUsage = true;
                        readUsage(p, e);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "choices":
                    if (v == JsonToken.START_ARRAY) {
                        readChoices(p, e);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "error":
                    if (v == JsonToken.START_OBJECT) {
                        e.isError = true;
                        readError(p, e);
                    } else if (v == JsonToken.VALUE_STRING) {
                        e.isError = true;
                        e.errorMessage = p.getText();
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    // Skipped strings are still checked for valid UTF-8 by the parser.
                    p.skipChildren();
                    break;
            }
        }
    }

    private static void readTimings(JsonParser p, ParsedEvent e) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "cache_n":
                    e.cacheN = countValue(p, v);
                    break;
                case "prompt_n":
                    e.promptN = countValue(p, v);
                    break;
                case "prompt_ms":
                    e.promptMs = JsonValues.duration(p, v);
                    break;
                case "predicted_n":
                    e.predictedN = countValue(p, v);
                    break;
                case "predicted_ms":
                    e.predictedMs = JsonValues.duration(p, v);
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
    }

    private static void readUsage(JsonParser p, ParsedEvent e) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_tokens":
                    e.usagePromptTokens = countValue(p, v);
                    break;
                case "completion_tokens":
                    e.usageCompletionTokens = countValue(p, v);
                    break;
                case "prompt_tokens_details":
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String detail = p.currentName();
                            JsonToken dv = p.nextToken();
                            if ("cached_tokens".equals(detail)) {
                                e.usageCachedTokens = countValue(p, dv);
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
    }

    private static void readChoices(JsonParser p, ParsedEvent e) throws IOException {
        int count = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("unexpected end of input in choices");
            }
            count++;
            if (count == 1 && t == JsonToken.START_OBJECT) {
                readChoice(p, e);
            } else {
                p.skipChildren();
            }
        }
        e.choices = count;
    }

    private static void readChoice(JsonParser p, ParsedEvent e) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "finish_reason":
                    e.finishReason = JsonValues.text(p, v);
                    break;
                case "delta":
                case "message":
                    if (v == JsonToken.START_OBJECT) {
                        readMessage(p, e);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "text":
                    e.content = JsonValues.text(p, v);
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
    }

    private static void readMessage(JsonParser p, ParsedEvent e) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("content".equals(name)) {
                e.content = JsonValues.text(p, v);
            } else {
                p.skipChildren();
            }
        }
    }

    private static void readError(JsonParser p, ParsedEvent e) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "code":
                    e.errorCode = intValue(p, v);
                    break;
                case "message":
                    e.errorMessage = JsonValues.text(p, v);
                    break;
                case "type":
                    e.errorType = JsonValues.text(p, v);
                    break;
                case "n_prompt_tokens":
                    e.errorPromptTokens = intValue(p, v);
                    break;
                case "n_ctx":
                    e.errorContextSize = intValue(p, v);
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
    }

    private static int countArray(JsonParser p) throws IOException {
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("unexpected end of input in array");
            }
            n++;
            p.skipChildren();
        }
        return n;
    }

    private static int skip(JsonParser p) throws IOException {
        p.skipChildren();
        return ParsedEvent.ABSENT;
    }

    private static int intValue(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            long value = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : (long) p.getDoubleValue();
            return value < 0 || value > Integer.MAX_VALUE ? ParsedEvent.ABSENT : (int) value;
        }
        p.skipChildren();
        return ParsedEvent.ABSENT;
    }

    /**
     * A server count as said (negative or huge included); the recorder judges it. Unlike {@link JsonValues#count}, a
     * fraction at or below {@code Long.MIN_VALUE} reads as absent here, as it always has for llama-server.
     */
    private static long countValue(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_FLOAT ? (long) p.getDoubleValue() : JsonValues.count(p, v);
    }
}
