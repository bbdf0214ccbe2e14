package dev.orket.provider.ollama.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.orket.core.stream.JsonScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * Parses one NDJSON line of an Ollama response into a {@link ParsedLine}, tolerating unknown fields
 * and any field order. One Jackson non-blocking parser is fed line after line for the whole
 * response, so no parser, buffer or field name is allocated per line.
 *
 * <pre>
 * {"model":"m","created_at":"…","response":"ight","done":false}
 * {"model":"m","created_at":"…","message":{"role":"assistant","content":""},"done":true,"done_reason":"length",
 *  "total_duration":7559906,"load_duration":2015557,"prompt_eval_count":42,"prompt_eval_duration":1804000,
 *  "eval_count":16,"eval_duration":2482000}
 * {"error":"an error was encountered while running the model: unexpected EOF"}
 * </pre>
 *
 * <p>A token line ({@code done:false}, no metrics, no error) is first read by the core's allocation-free
 * {@link JsonScan}; anything it does not read (the final line with its metrics, an error, a Unicode escape,
 * a malformed line) goes to Jackson, to the same fields.
 *
 * <p>Not thread-safe; after a {@link MalformedLineException} the parser is unusable.
 */
public final class LineParser {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A line that is not one complete JSON object, or holds invalid UTF-8. */
    public static final class MalformedLineException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedLineException(String message) {
            super(message);
        }
    }

    private static final byte[] RESPONSE = JsonScan.name("response");
    private static final byte[] THINKING = JsonScan.name("thinking");
    private static final byte[] DONE = JsonScan.name("done");
    private static final byte[] DONE_REASON = JsonScan.name("done_reason");
    private static final byte[] MESSAGE = JsonScan.name("message");
    private static final byte[] CONTENT = JsonScan.name("content");
    private static final byte[][] JACKSON_ONLY = {JsonScan.name("error"), JsonScan.name("prompt_eval_count"), JsonScan.name("eval_count"),
        JsonScan.name("prompt_eval_duration"), JsonScan.name("eval_duration"), JsonScan.name("load_duration"), JsonScan.name("total_duration")};

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final JsonScan scan = new JsonScan();

    /** Whether the field is one the fast path leaves to Jackson (a final or error event's). */
    private static boolean jacksonOnly(JsonScan scan) {
        byte first = scan.nameFirstByte();
        if (first != 'e' && first != 'p' && first != 'l' && first != 't') {
            // model, created_at and the like: never a metric or an error.
            return false;
        }
        return scan.nameIsAnyOf(JACKSON_ONLY);
    }

    public LineParser() {
        try {
            this.parser = FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /**
     * Parses one line.
     *
     * @return false when the line is blank (no object)
     * @throws MalformedLineException when the line is not exactly one JSON object
     */
    public boolean parse(byte[] bytes, int offset, int length, ParsedLine into) throws MalformedLineException {
        return readFast(bytes, offset, length, into) || parseWithJackson(bytes, offset, length, into);
    }

    /** The authority: Jackson's non-blocking parser, for every line the fast path does not read. */
    boolean parseWithJackson(byte[] bytes, int offset, int length, ParsedLine into) throws MalformedLineException {
        into.clear();
        if (isBlank(bytes, offset, length)) {
            return false;
        }
        try {
            feeder.feedInput(bytes, offset, offset + length);
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw new MalformedLineException("expected a JSON object but the line starts with " + describe(token));
            }
            readObject(into);
            JsonToken after = parser.nextToken();
            if (after != JsonToken.NOT_AVAILABLE) {
                throw new MalformedLineException("more than one JSON value on the line");
            }
            return true;
        } catch (MalformedLineException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MalformedLineException(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    /** The fast path: true when the scan read the whole line into {@code into}; false leaves it to Jackson. */
    boolean readFast(byte[] bytes, int offset, int length, ParsedLine into) {
        into.clear();
        if (!scan.begin(bytes, offset, length)) {
            return false;
        }
        while (scan.nextField()) {
            boolean read;
            if (scan.nameIs(RESPONSE)) {
                read = scan.stringOrSkip();
                into.content = scan.stringOrNull();
            } else if (scan.nameIs(THINKING)) {
                read = scan.stringOrSkip();
                into.thinking = scan.stringOrNull();
            } else if (scan.nameIs(DONE_REASON)) {
                read = scan.stringOrSkip();
                into.doneReason = scan.stringOrNull();
            } else if (scan.nameIs(DONE)) {
                byte first = scan.peek();
                read = (first == 't' || first == 'f') && scan.boolValue();
                into.done = read && scan.bool();
            } else if (scan.nameIs(MESSAGE)) {
                read = message(into);
            } else {
                read = !jacksonOnly(scan) && scan.skipValue();
            }
            if (!read) {
                return false;
            }
        }
        return scan.fieldsEnded() && scan.atEnd();
    }

    private boolean message(ParsedLine into) {
        if (scan.peek() != '{') {
            return scan.skipValue();
        }
        scan.enterObject();
        while (scan.nextField()) {
            boolean read;
            if (scan.nameIs(CONTENT)) {
                read = scan.stringOrSkip();
                into.content = scan.stringOrNull();
            } else if (scan.nameIs(THINKING)) {
                read = scan.stringOrSkip();
                into.thinking = scan.stringOrNull();
            } else {
                read = scan.skipValue();
            }
            if (!read) {
                return false;
            }
        }
        return scan.fieldsEnded();
    }

    private void readObject(ParsedLine into) throws IOException, MalformedLineException {
        JsonToken token;
        while ((token = next()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = next();
            switch (name) {
                case "response":
                    into.content = textOrNull(value);
                    break;
                case "thinking":
                    into.thinking = textOrNull(value);
                    break;
                case "done":
                    into.done = value == JsonToken.VALUE_TRUE;
                    break;
                case "done_reason":
                    into.doneReason = textOrNull(value);
                    break;
                case "message":
                    readMessage(value, into);
                    break;
                case "error":
                    into.error = readError(value);
                    break;
                case "prompt_eval_count":
                    if (isNumber(value)) {
                        into.promptEvalCount = longValue(value);
                        into.hasPromptEvalCount = true;
                    }
                    break;
                case "eval_count":
                    if (isNumber(value)) {
                        into.evalCount = longValue(value);
                        into.hasEvalCount = true;
                    }
                    break;
                case "prompt_eval_duration":
                    if (isNumber(value)) {
                        into.promptEvalDuration = longValue(value);
                        into.hasPromptEvalDuration = true;
                    }
                    break;
                case "eval_duration":
                    if (isNumber(value)) {
                        into.evalDuration = longValue(value);
                        into.hasEvalDuration = true;
                    }
                    break;
                case "load_duration":
                    if (isNumber(value)) {
                        into.loadDuration = longValue(value);
                        into.hasLoadDuration = true;
                    }
                    break;
                case "total_duration":
                    if (isNumber(value)) {
                        into.totalDuration = longValue(value);
                        into.hasTotalDuration = true;
                    }
                    break;
                default:
                    skip(value);
                    break;
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new MalformedLineException("expected a field name or '}' but found " + describe(token));
        }
    }

    private void readMessage(JsonToken value, ParsedLine into) throws IOException, MalformedLineException {
        if (value != JsonToken.START_OBJECT) {
            skip(value);
            return;
        }
        JsonToken token;
        while ((token = next()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken field = next();
            if ("content".equals(name)) {
                into.content = textOrNull(field);
            } else if ("thinking".equals(name)) {
                into.thinking = textOrNull(field);
            } else {
                skip(field);
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new MalformedLineException("expected a field name or '}' in message but found " + describe(token));
        }
    }

    /** {@code "error": "text"} (native) or {@code "error": {"message": "text", ...}} (OpenAI shape). */
    private String readError(JsonToken value) throws IOException, MalformedLineException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (value != JsonToken.START_OBJECT) {
            skip(value);
            return "(error of JSON type " + describe(value) + ")";
        }
        String message = "(error object without a message)";
        JsonToken token;
        while ((token = next()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken field = next();
            if ("message".equals(name) && field == JsonToken.VALUE_STRING) {
                message = parser.getText();
            } else {
                skip(field);
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new MalformedLineException("unterminated error object");
        }
        return message;
    }

    private JsonToken next() throws IOException, MalformedLineException {
        JsonToken token = parser.nextToken();
        if (token == null || token == JsonToken.NOT_AVAILABLE) {
            throw new MalformedLineException("the line ends inside a JSON object");
        }
        return token;
    }

    private void skip(JsonToken value) throws IOException, MalformedLineException {
        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken token = next();
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                depth--;
            }
        }
    }

    private @Nullable String textOrNull(JsonToken value) throws IOException, MalformedLineException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        skip(value);
        return null;
    }

    private static boolean isNumber(JsonToken value) {
        return value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
    }

    private long longValue(JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) parser.getDoubleValue();
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return Long.MAX_VALUE;
        }
        return parser.getLongValue();
    }

    private static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String describe(@Nullable JsonToken token) {
        return token == null ? "end of input" : token.name();
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
