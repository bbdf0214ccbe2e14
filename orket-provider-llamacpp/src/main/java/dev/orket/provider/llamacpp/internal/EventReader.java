package dev.orket.provider.llamacpp.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
 */
public final class EventReader {

    /** The object is not the JSON llama-server sends. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private EventReader() {}

    /** The shared Jackson factory (thread-safe). */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /** Parses one JSON object into {@code into} (reset first). */
    public static void read(byte[] bytes, int offset, int length, ParsedEvent into) throws MalformedException {
        into.reset();
        try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                t = p.nextToken();
            }
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedException("expected a JSON object but found " + describe(t));
            }
            readRoot(p, into);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException
                    ? ((JsonProcessingException) e).getOriginalMessage()
                    : e.getMessage();
            throw new MalformedException("invalid JSON from llama-server: " + reason);
        }
    }

    private static void readRoot(JsonParser p, ParsedEvent e) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "content":
                    e.content = v == JsonToken.VALUE_STRING ? p.getText() : null;
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
                    e.stopType = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    break;
                case "truncated":
                    e.truncated = v == JsonToken.VALUE_TRUE;
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
                    e.promptMs = doubleValue(p, v);
                    break;
                case "predicted_n":
                    e.predictedN = countValue(p, v);
                    break;
                case "predicted_ms":
                    e.predictedMs = doubleValue(p, v);
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
                    e.finishReason = v == JsonToken.VALUE_STRING ? p.getText() : null;
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
                    e.content = v == JsonToken.VALUE_STRING ? p.getText() : null;
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
                e.content = v == JsonToken.VALUE_STRING ? p.getText() : null;
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
                    e.errorMessage = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    break;
                case "type":
                    e.errorType = v == JsonToken.VALUE_STRING ? p.getText() : null;
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

    /** A server count as said (negative or huge included); the recorder judges it. */
    private static long countValue(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (p.getBigIntegerValue().signum() < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE)
                    : p.getLongValue();
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            // (long) saturates beyond a long; such a count is implausible either way.
            return (long) p.getDoubleValue();
        }
        p.skipChildren();
        return ParsedEvent.ABSENT_COUNT;
    }

    /** A server duration as said (negative, huge, tiny or infinite included); the recorder judges it. */
    private static double doubleValue(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        p.skipChildren();
        return Double.NaN;
    }

    private static String describe(JsonToken t) {
        return t == null ? "nothing" : t.asString() == null ? t.name() : t.asString();
    }
}
