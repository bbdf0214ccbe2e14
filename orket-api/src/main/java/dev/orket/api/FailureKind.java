package dev.orket.api;

/**
 * What went wrong with a failed run, in canonical terms. A failure of the measured system is data,
 * never an exception escaping a sweep.
 *
 * @since 0.1
 */
public enum FailureKind implements JsonNamed {
    /** Nothing listened on the server's address. */
    CONNECTION_REFUSED,
    /** The connection could not be made for another reason (DNS, network). */
    CONNECTION_FAILED,
    /**
     * The client's whole-run deadline ({@code RunRequest.timeout}) or idle gap ({@code RunRequest.idleTimeout})
     * passed; the message says which.
     */
    TIMEOUT,
    /** The server closed the connection before the response was complete. */
    CONNECTION_CLOSED,
    /** The server rejected the request as invalid (HTTP 400). */
    INVALID_REQUEST,
    /** The prompt does not fit in the server's context. */
    CONTEXT_EXCEEDED,
    /** Authentication failed (HTTP 401 or 403). */
    UNAUTHORIZED,
    /** The endpoint does not exist or the method is wrong (HTTP 404, 405). */
    NOT_FOUND,
    /** The server does not have the requested model. */
    MODEL_NOT_FOUND,
    /** The server is still loading the model (HTTP 503 while loading). */
    MODEL_LOADING,
    /** The server could not load the model (out of memory, bad file). */
    MODEL_LOAD_FAILED,
    /** The server has no free slot or is overloaded (HTTP 429, 503). */
    SERVER_BUSY,
    /** The server failed internally (HTTP 500). */
    SERVER_ERROR,
    /** The server does not implement the feature (HTTP 501). */
    NOT_IMPLEMENTED,
    /** Any other non-success HTTP status whose body says nothing more (empty, or the server's own error shape). */
    HTTP_ERROR,
    /** The server sent an error event in the middle of a successful stream. */
    STREAM_ERROR,
    /**
     * The response could not be parsed: bad JSON, invalid UTF-8, or a body that is not the server's at all
     * (an HTML page from a proxy, whatever its status; the status is kept in the record).
     */
    MALFORMED_RESPONSE,
    /** The response ended without the marker that a finished run carries. */
    INCOMPLETE_RESPONSE,
    /**
     * The response exceeded one of the client's bounds: an event, line or body over its size limit, or streamed
     * output past {@code max_output_tokens} by more than the documented margin (a server ignoring its token limit).
     */
    RESPONSE_TOO_LARGE,
    /** The run asked for a capability the provider does not declare. */
    UNSUPPORTED_CAPABILITY,
    /** The provider threw instead of reporting an event; a provider bug recorded as data. */
    PROVIDER_ERROR,
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED;

    @Override
    public String jsonName() {
        return name();
    }

    public static FailureKind fromJson(String jsonName) {
        return JsonNamed.fromJson(FailureKind.class, jsonName);
    }
}
