package dev.orket.provider.llamacpp.internal;

import dev.orket.api.FailureKind;
import dev.orket.core.stream.WireFailures;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Maps llama-server's error responses to canonical failure kinds: by the error's {@code type}
 * first (llama-server sends malformed JSON as a 500, so the status alone misleads), then by the
 * core's baseline kind of the HTTP status ({@link WireFailures#ofStatus}), the same for every provider. Sample: {@code {"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}}.
 *
 * <table>
 *   <caption>error type to failure kind</caption>
 *   <tr><th>type (status)</th><th>kind</th></tr>
 *   <tr><td>exceed_context_size_error (400)</td><td>CONTEXT_EXCEEDED (+ PROMPT_TRUNCATED)</td></tr>
 *   <tr><td>invalid_request_error (400)</td><td>INVALID_REQUEST</td></tr>
 *   <tr><td>authentication_error (401), permission_error (403)</td><td>UNAUTHORIZED</td></tr>
 *   <tr><td>not_found_error (404)</td><td>NOT_FOUND</td></tr>
 *   <tr><td>server_error (500)</td><td>SERVER_ERROR</td></tr>
 *   <tr><td>not_supported_error (501), feature_disabled (403)</td><td>NOT_IMPLEMENTED</td></tr>
 *   <tr><td>unavailable_error "Loading model" (503)</td><td>MODEL_LOADING</td></tr>
 *   <tr><td>unavailable_error, other message (503)</td><td>SERVER_BUSY</td></tr>
 * </table>
 */
public final class ErrorClassifier {

    private ErrorClassifier() {}

    /** The kind for an error object, given its type, message and the response's HTTP status. */
    public static FailureKind classify(@Nullable String type, @Nullable String message, int httpStatus) {
        if (type != null) {
            switch (type) {
                case "exceed_context_size_error":
                    return FailureKind.CONTEXT_EXCEEDED;
                case "invalid_request_error":
                    return FailureKind.INVALID_REQUEST;
                case "authentication_error":
                case "permission_error":
                    return FailureKind.UNAUTHORIZED;
                case "not_found_error":
                    return FailureKind.NOT_FOUND;
                case "server_error":
                    return FailureKind.SERVER_ERROR;
                case "not_supported_error":
                case "feature_disabled":
                    return FailureKind.NOT_IMPLEMENTED;
                case "unavailable_error":
                    return isLoading(message) ? FailureKind.MODEL_LOADING : FailureKind.SERVER_BUSY;
                default:
                    break;
            }
        }
        if (httpStatus == 503 && isLoading(message)) {
            return FailureKind.MODEL_LOADING;
        }
        return WireFailures.ofStatus(httpStatus);
    }


    private static boolean isLoading(@Nullable String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains("loading model");
    }
}
