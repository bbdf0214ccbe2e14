package dev.orket.provider.openai.internal;

import static dev.orket.core.stream.JsonValues.count;
import static dev.orket.core.stream.JsonValues.describe;
import static dev.orket.core.stream.JsonValues.duration;
import static dev.orket.core.stream.JsonValues.scalar;
import static dev.orket.core.stream.JsonValues.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.core.stream.JsonValues;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields the provider needs out of one OpenAI-compatible JSON object with Jackson's streaming parser,
 * skipping everything else without building it. One reader serves stream chunks, whole bodies of both endpoints and
 * the error shapes of the servers it speaks to:
 *
 * <pre>
 * {"choices":[{"text":"ight","index":0,"logprobs":null,"finish_reason":null}],"object":"text_completion",...}
 * {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" ser"}}],"object":"chat.completion.chunk",...}
 * {"choices":[],...,"usage":{"completion_tokens":16,"prompt_tokens":42,"prompt_tokens_details":{"cached_tokens":41}},
 *  "timings":{"cache_n":41,"prompt_n":1,"prompt_ms":0.204,"predicted_n":16,"predicted_ms":3.541,...}}
 * {"choices":[],"usage":{"prompt_tokens":42,"completion_tokens":128,...},
 *  "metrics":{"time_to_first_token_ms":85.2,"generation_time_ms":1240.5,"queue_time_ms":12.3,...}}
 * {"error":{"code":400,"message":"...","type":"exceed_context_size_error","n_prompt_tokens":2401,"n_ctx":512}}
 * {"object":"error","message":"...","type":"BadRequestError","param":null,"code":400}
 * {"error":"Input validation error: ...","error_type":"validation"}
 * </pre>
 *
 * The first line is llama-server's {@code /v1/completions}, the fourth vLLM's usage chunk with per-request metrics,
 * the last three the error shapes of llama-server and OpenAI, of vLLM and SGLang, and of TGI. Invalid JSON and
 * invalid UTF-8 are a {@link MalformedException}.
 */
public final class ChunkReader {

    /** The object is not JSON an OpenAI-compatible server sends. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    private ChunkReader() {}

    /** Parses one JSON object into {@code into} (reset first). */
    public static void read(byte[] bytes, int offset, int length, ParsedChunk into) throws MalformedException {
        into.reset();
        try (JsonParser p = JsonValues.factory().createParser(bytes, offset, length)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedException("expected a JSON object but found " + describe(t));
            }
            readRoot(p, into);
            if (p.nextToken() != null) {
                throw new MalformedException("unexpected content after the JSON object");
            }
        } catch (IOException e) {
            throw new MalformedException("invalid JSON: " + JsonValues.reason(e));
        }
    }

    private static void readRoot(JsonParser p, ParsedChunk c) throws IOException {
        // A flat error ({"object":"error",...}) is known only once "object" is read, in any order.
        String flatMessage = null;
        String flatType = null;
        String flatCode = null;
        String errorType = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "choices":
                    if (v == JsonToken.START_ARRAY) {
                        readChoices(p, c);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "usage":
                    if (v == JsonToken.START_OBJECT) {
                        c.hasUsage = true;
                        readUsage(p, c);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "timings":
                    if (v == JsonToken.START_OBJECT) {
                        c.hasTimings = true;
                        readTimings(p, c);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "metrics":
                    if (v == JsonToken.START_OBJECT) {
                        c.hasMetrics = true;
                        readMetrics(p, c);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "error":
                    if (v == JsonToken.START_OBJECT) {
                        c.isError = true;
                        readError(p, c);
                    } else if (v == JsonToken.VALUE_STRING) {
                        c.isError = true;
                        c.errorMessage = p.getText();
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "error_type":
                    errorType = text(p, v);
                    break;
                case "object":
                    c.object = text(p, v);
                    break;
                case "message":
                    flatMessage = text(p, v);
                    break;
                case "type":
                    flatType = text(p, v);
                    break;
                case "code":
                    flatCode = scalar(p, v);
                    break;
                default:
                    // Skipped strings are still checked for valid UTF-8 by the parser.
                    p.skipChildren();
                    break;
            }
        }
        if ("error".equals(c.object) && !c.isError) {
            c.isError = true;
            c.errorMessage = flatMessage;
            c.errorType = flatType;
            c.errorCode = flatCode;
        }
        if (c.isError && c.errorType == null) {
            c.errorType = errorType;
        }
    }

    private static void readChoices(JsonParser p, ParsedChunk c) throws IOException {
        int count = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("unexpected end of input in choices");
            }
            count++;
            if (count == 1 && t == JsonToken.START_OBJECT) {
                readChoice(p, c);
            } else {
                p.skipChildren();
            }
        }
        c.choices = count;
    }

    private static void readChoice(JsonParser p, ParsedChunk c) throws IOException {
        String reasoning = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "text":
                    c.content = text(p, v);
                    break;
                case "delta":
                case "message":
                    if (v == JsonToken.START_OBJECT) {
                        reasoning = readMessage(p, c, reasoning);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "finish_reason":
                    c.finishReason = text(p, v);
                    break;
                case "stop_reason":
                    c.stopSequence = text(p, v);
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
        c.reasoningOnly = (c.content == null || c.content.isEmpty()) && reasoning != null && !reasoning.isEmpty();
    }

    /** Reads {@code delta} or {@code message}; returns the reasoning text seen so far. */
    private static @Nullable String readMessage(JsonParser p, ParsedChunk c, @Nullable String reasoning)
            throws IOException {
        String seen = reasoning;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "content":
                    c.content = text(p, v);
                    break;
                case "reasoning_content":
                case "reasoning":
                    String value = text(p, v);
                    if (value != null && !value.isEmpty()) {
                        seen = value;
                    }
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
        return seen;
    }

    private static void readUsage(JsonParser p, ParsedChunk c) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_tokens":
                    c.usagePromptTokens = count(p, v);
                    break;
                case "completion_tokens":
                    c.usageCompletionTokens = count(p, v);
                    break;
                case "prompt_tokens_details":
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String detail = p.currentName();
                            JsonToken dv = p.nextToken();
                            if ("cached_tokens".equals(detail)) {
                                c.usageCachedTokens = count(p, dv);
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

    private static void readTimings(JsonParser p, ParsedChunk c) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_n":
                    c.timingsPromptN = count(p, v);
                    break;
                case "cache_n":
                    c.timingsCacheN = count(p, v);
                    break;
                case "predicted_n":
                    c.timingsPredictedN = count(p, v);
                    break;
                case "prompt_ms":
                    c.timingsPromptMs = duration(p, v);
                    break;
                case "predicted_ms":
                    c.timingsPredictedMs = duration(p, v);
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
    }

    private static void readMetrics(JsonParser p, ParsedChunk c) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "time_to_first_token_ms":
                    c.metricsTimeToFirstTokenMs = duration(p, v);
                    break;
                case "generation_time_ms":
                    c.metricsGenerationMs = duration(p, v);
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
    }

    private static void readError(JsonParser p, ParsedChunk c) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "message":
                    c.errorMessage = text(p, v);
                    break;
                case "type":
                    c.errorType = text(p, v);
                    break;
                case "code":
                    c.errorCode = scalar(p, v);
                    break;
                case "n_ctx":
                    c.errorContextSize = count(p, v);
                    break;
                case "n_prompt_tokens":
                    c.errorPromptTokens = count(p, v);
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
    }
}
