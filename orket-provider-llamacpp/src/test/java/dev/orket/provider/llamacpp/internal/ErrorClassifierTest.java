package dev.orket.provider.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorClassifierTest {

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "exceed_context_size_error, request exceeds, 400, CONTEXT_EXCEEDED",
            "invalid_request_error, 'prompt' not found, 400, INVALID_REQUEST",
            "authentication_error, Invalid API Key, 401, UNAUTHORIZED",
            "permission_error, no, 403, UNAUTHORIZED",
            "not_found_error, File Not Found, 404, NOT_FOUND",
            "server_error, parse error, 500, SERVER_ERROR",
            "not_supported_error, no metrics, 501, NOT_IMPLEMENTED",
            "feature_disabled, this feature is disabled, 403, NOT_IMPLEMENTED",
            "unavailable_error, Loading model, 503, MODEL_LOADING",
            "unavailable_error, no slot available, 503, SERVER_BUSY",
            "-, loading model, 503, MODEL_LOADING",
            "some_new_error, x, 400, INVALID_REQUEST",
            "-, -, 401, UNAUTHORIZED",
            "-, -, 405, NOT_FOUND",
            "-, -, 429, SERVER_BUSY",
            "-, -, 500, SERVER_ERROR",
            "-, -, 501, NOT_IMPLEMENTED",
            "-, -, 503, SERVER_BUSY",
            "-, -, 502, HTTP_ERROR",
            "-, -, 418, HTTP_ERROR"})
    void classify(String type, String message, int status, FailureKind kind) {
        assertThat(ErrorClassifier.classify(type, message, status)).isEqualTo(kind);
    }
}
