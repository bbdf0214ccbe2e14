package dev.orket.provider.openai.internal;

import dev.orket.api.FailureKind;
import dev.orket.core.stream.WireFailures;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Maps the error answers of OpenAI-compatible servers to canonical failure kinds: by the error's {@code type} or
 * {@code code} first (llama-server's types, OpenAI's codes), then by what the message says for the few failures a
 * server words but does not type (a prompt over the context, a model the server does not have, a model still
 * loading), then by the core's baseline kind of the HTTP status ({@link WireFailures#ofStatus}), the same for every
 * provider. Samples: {@code {"error":{"code":400,"message":"...","type":"exceed_context_size_error","n_ctx":512}}}
 * (llama-server), {@code {"object":"error","message":"The model `m` does not exist.","type":"NotFoundError",
 * "code":404}} (vLLM, SGLang), {@code {"error":"Input validation error: ...","error_type":"validation"}} (TGI).
 *
 * <table>
 *   <caption>error to failure kind</caption>
 *   <tr><th>type / code / message (status)</th><th>kind</th></tr>
 *   <tr><td>type {@code exceed_context_size_error}, code {@code context_length_exceeded}; a 400, 413 or 422 whose
 *       message speaks of the context length, context window or context size, or TGI's "must be &lt;="
 *       token bound</td><td>CONTEXT_EXCEEDED (+ PROMPT_TRUNCATED)</td></tr>
 *   <tr><td>code or type {@code model_not_found}; a 404 whose message says a model does not exist or was not
 *       found</td><td>MODEL_NOT_FOUND</td></tr>
 *   <tr><td>type {@code authentication_error}, {@code permission_error}, code {@code invalid_api_key}</td>
 *       <td>UNAUTHORIZED</td></tr>
 *   <tr><td>type {@code unavailable_error}, or a 503, whose message says the model is loading</td>
 *       <td>MODEL_LOADING</td></tr>
 *   <tr><td>type {@code unavailable_error}, other message</td><td>SERVER_BUSY</td></tr>
 *   <tr><td>type {@code not_supported_error}, {@code feature_disabled}</td><td>NOT_IMPLEMENTED</td></tr>
 *   <tr><td>type {@code invalid_request_error} (400)</td><td>INVALID_REQUEST</td></tr>
 *   <tr><td>type {@code server_error} (500)</td><td>SERVER_ERROR</td></tr>
 *   <tr><td>anything else</td><td>the status's baseline kind</td></tr>
 * </table>
 */
public final class ErrorClassifier {

    private ErrorClassifier() {}

    /**
     * The kind for an error, given its type, code, message and the response's HTTP status.
     *
     * @param type the error's {@code type} (or TGI's {@code error_type}), or null
     * @param code the error's {@code code} as text, or null
     * @param message the server's words, or null
     * @param httpStatus the response's status
     */
    public static FailureKind classify(@Nullable String type, @Nullable String code, @Nullable String message,
            int httpStatus) {
        if ("exceed_context_size_error".equals(type) || "context_length_exceeded".equals(code)) {
            return FailureKind.CONTEXT_EXCEEDED;
        }
        if ("model_not_found".equals(code) || "model_not_found".equals(type)) {
            return FailureKind.MODEL_NOT_FOUND;
        }
        if ("authentication_error".equals(type) || "permission_error".equals(type) || "invalid_api_key".equals(code)) {
            return FailureKind.UNAUTHORIZED;
        }
        if ("not_supported_error".equals(type) || "feature_disabled".equals(type)) {
            return FailureKind.NOT_IMPLEMENTED;
        }
        String words = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if ("unavailable_error".equals(type)) {
            return loading(words) ? FailureKind.MODEL_LOADING : FailureKind.SERVER_BUSY;
        }
        if ((httpStatus == 400 || httpStatus == 413 || httpStatus == 422) && overContext(words)) {
            return FailureKind.CONTEXT_EXCEEDED;
        }
        if (httpStatus == 404 && words.contains("model")
                && (words.contains("does not exist") || words.contains("not found"))) {
            return FailureKind.MODEL_NOT_FOUND;
        }
        if (httpStatus == 503 && loading(words)) {
            return FailureKind.MODEL_LOADING;
        }
        if ("invalid_request_error".equals(type) && httpStatus == 400) {
            return FailureKind.INVALID_REQUEST;
        }
        if ("server_error".equals(type) && httpStatus == 500) {
            return FailureKind.SERVER_ERROR;
        }
        return WireFailures.ofStatus(httpStatus);
    }

    /** Whether a message (lower case) says the prompt does not fit the model's context. */
    static boolean overContext(String words) {
        return words.contains("context length") || words.contains("context window") || words.contains("context size")
                || words.contains("maximum context") || (words.contains("must be <=") && words.contains("tokens"));
    }

    private static boolean loading(String words) {
        return words.contains("loading model") || words.contains("model is loading")
                || words.contains("is currently loading") || words.contains("still loading");
    }
}
