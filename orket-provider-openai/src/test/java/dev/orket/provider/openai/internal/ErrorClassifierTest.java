package dev.orket.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of the classification table in {@link ErrorClassifier} and docs/providers/openai.md. */
class ErrorClassifierTest {

    @ParameterizedTest(name = "{0} / {1} / \"{2}\" ({3}) is {4}")
    @CsvSource(nullValues = "-", value = {
        "exceed_context_size_error, 400, request exceeds the available context size, 400, CONTEXT_EXCEEDED",
        "invalid_request_error, context_length_exceeded, too long, 400, CONTEXT_EXCEEDED",
        "BadRequestError, 400, This model's maximum context length is 2048 tokens, 400, CONTEXT_EXCEEDED",
        "validation, -, `inputs` tokens + `max_new_tokens` must be <= 4096, 422, CONTEXT_EXCEEDED",
        "-, -, prompt is longer than the context window, 413, CONTEXT_EXCEEDED",
        "-, -, context length exceeded, 500, SERVER_ERROR",
        "invalid_request_error, model_not_found, The model `x` does not exist, 404, MODEL_NOT_FOUND",
        "model_not_found, -, -, 400, MODEL_NOT_FOUND",
        "NotFoundError, 404, The model `x` does not exist., 404, MODEL_NOT_FOUND",
        "-, -, model 'x' not found, 404, MODEL_NOT_FOUND",
        "not_found_error, 404, File Not Found, 404, NOT_FOUND",
        "authentication_error, 401, Invalid API Key, 401, UNAUTHORIZED",
        "permission_error, 403, -, 403, UNAUTHORIZED",
        "invalid_request_error, invalid_api_key, Incorrect API key provided, 401, UNAUTHORIZED",
        "unavailable_error, 503, Loading model, 503, MODEL_LOADING",
        "unavailable_error, 503, no slot available, 503, SERVER_BUSY",
        "-, -, the model is loading, 503, MODEL_LOADING",
        "-, -, overloaded, 503, SERVER_BUSY",
        "not_supported_error, 501, -, 501, NOT_IMPLEMENTED",
        "feature_disabled, -, this feature is disabled, 403, NOT_IMPLEMENTED",
        "invalid_request_error, 400, 'messages' is required, 400, INVALID_REQUEST",
        "server_error, 500, parse error, 500, SERVER_ERROR",
        "overloaded, -, Model is overloaded, 429, SERVER_BUSY",
        "-, -, -, 502, HTTP_ERROR"})
    @DisplayName("classifies by type and code, then by the server's words, then by status")
    void classify(String type, String code, String message, int status, FailureKind expected) {
        assertThat(ErrorClassifier.classify(type, code, message, status)).isEqualTo(expected);
    }
}
