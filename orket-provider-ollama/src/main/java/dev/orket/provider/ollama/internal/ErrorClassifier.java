package dev.orket.provider.ollama.internal;

import dev.orket.api.FailureKind;
import dev.orket.core.stream.WireFailures;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Classifies an Ollama error response by HTTP status plus keywords, never by exact text: messages
 * change between versions, may carry a llama-server JSON body inside the string and may hold
 * newlines (several stderr lines joined). What the keywords do not refine has the core's baseline kind
 * of the status ({@link WireFailures#ofStatus}), the same for every provider.
 *
 * <pre>
 * 404 {"error":"model 'nope' not found"}                          MODEL_NOT_FOUND
 * 404 text/plain "404 page not found"                              NOT_FOUND
 * 400 {"error":"the prompt is longer than the context length …"}  CONTEXT_EXCEEDED (+ PROMPT_TRUNCATED)
 * 500 {"error":"llama-server process has terminated: … out of memory …"}  MODEL_LOAD_FAILED
 * 503 {"error":"server busy, please try again. …"}                SERVER_BUSY
 * </pre>
 */
public final class ErrorClassifier {

    private static final String[] CONTEXT_KEYWORDS = {
        "context length", "context size", "exceed_context_size", "context window", "exceeds the available context",
        "too many tokens"
    };
    private static final String[] LOAD_KEYWORDS = {
        "llama-server process has terminated", "error loading model", "unable to load model", "failed to load model",
        "out of memory", "cudamalloc", "failed to allocate", "unable to allocate", "requires more system memory",
        "more memory", "waiting for llama-server to start", "reported out-of-memory", "incompatible with your version",
        "vk_error_out_of_device_memory"
    };
    private static final String[] CLIENT_ERROR_KEYWORDS = {
        "must be of type", "cannot unmarshal", "invalid ", "is required", "does not support", "missing request body"
    };
    private static final String[] BUSY_KEYWORDS = {"busy", "try again", "pending requests", "too many requests"};

    /** A classified failure. */
    public record Classification(FailureKind kind, String message, boolean promptTruncated) {}

    private ErrorClassifier() {}

    /**
     * Classifies a non-success response.
     *
     * @param status the HTTP status
     * @param contentType the {@code Content-Type} header, or null
     * @param serverError the {@code error} message when the body was an Ollama or OpenAI error object, else null
     * @param bodyText the body as text (may be cut short), for non-JSON bodies
     * @param model the model the request named
     * @param path the request path, e.g. {@code /api/generate}
     */
    public static Classification classify(int status, @Nullable String contentType, @Nullable String serverError,
            String bodyText, String model, String path) {
        String said = serverError != null ? serverError : abbreviate(bodyText.strip());
        String lower = said.toLowerCase(Locale.ROOT);
        boolean html = isHtml(contentType, bodyText);
        String prefix = "HTTP " + status + " from " + path + ": ";
        if (html) {
            return new Classification(FailureKind.MALFORMED_RESPONSE,
                    prefix + "an HTML page (a proxy or a server that is not Ollama?): " + abbreviate(bodyText.strip()),
                    false);
        }
        if (containsAny(lower, CONTEXT_KEYWORDS) && status >= 400 && status < 600 && status != 404) {
            return new Classification(FailureKind.CONTEXT_EXCEEDED, prefix + said, true);
        }
        switch (status) {
            case 401:
            case 403:
                return new Classification(FailureKind.UNAUTHORIZED, prefix + said
                        + (said.isEmpty() ? "(empty body: Ollama refuses a Host header it does not trust, or the key is wrong)"
                                : ""), false);
            case 404:
                if (serverError != null && lower.contains("not found") && lower.contains("model")) {
                    return new Classification(FailureKind.MODEL_NOT_FOUND, "Model '" + model
                            + "' is not on the Ollama server (" + prefix + said + "). Pull it with `ollama pull " + model
                            + "`.", false);
                }
                return new Classification(FailureKind.NOT_FOUND, prefix + (said.isEmpty() ? "(empty body)" : said)
                        + "; the endpoint does not exist: is the base URL an Ollama server?", false);
            case 405:
                return new Classification(FailureKind.NOT_FOUND, prefix + said
                        + "; wrong method for the endpoint: is the base URL an Ollama server?", false);
            case 503:
                if (lower.contains("loading") && !containsAny(lower, BUSY_KEYWORDS)) {
                    return new Classification(FailureKind.MODEL_LOADING, prefix + said, false);
                }
                return new Classification(FailureKind.SERVER_BUSY, prefix + said, false);
            case 500:
                if (containsAny(lower, LOAD_KEYWORDS)) {
                    return new Classification(FailureKind.MODEL_LOAD_FAILED, prefix + said, false);
                }
                if (containsAny(lower, CLIENT_ERROR_KEYWORDS)) {
                    // Ollama reports a wrongly typed option as 500: it is the request that is wrong.
                    return new Classification(FailureKind.INVALID_REQUEST, prefix + said, false);
                }
                return new Classification(FailureKind.SERVER_ERROR, prefix + said, false);
            default:
                if (status >= 500 && containsAny(lower, LOAD_KEYWORDS)) {
                    return new Classification(FailureKind.MODEL_LOAD_FAILED, prefix + said, false);
                }
                return new Classification(WireFailures.ofStatus(status), prefix + (said.isEmpty() ? "(empty body)"
                        : said), false);
        }
    }

    /** Classifies an {@code error} line inside a 200 stream. */
    public static Classification midStream(String serverError) {
        return new Classification(FailureKind.STREAM_ERROR, "error in the stream: " + serverError, false);
    }

    static boolean isHtml(@Nullable String contentType, String body) {
        if (body.isBlank()) {
            // No page to show, whatever the content type: the status says it all.
            return false;
        }
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return WireFailures.isHtml(contentType, bytes, bytes.length);
    }

    private static boolean containsAny(String text, String[] keywords) {
        for (String keyword : keywords) {
            if (text.contains(keyword)) {
                return true;
            }
        }
        return false;
    }

    static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "…";
    }
}
