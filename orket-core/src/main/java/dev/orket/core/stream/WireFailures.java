package dev.orket.core.stream;

import dev.orket.api.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The one classification of what goes wrong on the wire, shared by every provider so that the same fault
 * is the same {@link FailureKind} whoever reports it: transport failures by exception, and the baseline
 * kind of an HTTP status that the body says nothing more about. Providers refine only from the error
 * body (llama.cpp's {@code error.type}, Ollama's keywords).
 *
 * <table>
 *   <caption>transport failures</caption>
 *   <tr><th>what the JDK client reports</th><th>kind</th></tr>
 *   <tr><td>an unresolvable host (a {@code ConnectException} caused by {@code UnresolvedAddressException})</td>
 *       <td>CONNECTION_FAILED</td></tr>
 *   <tr><td>another {@code ConnectException} without a message or saying "refused"</td><td>CONNECTION_REFUSED</td></tr>
 *   <tr><td>{@code HttpConnectTimeoutException}, another {@code ConnectException}</td><td>CONNECTION_FAILED</td></tr>
 *   <tr><td>{@code HttpTimeoutException}</td><td>TIMEOUT</td></tr>
 *   <tr><td>another {@code IOException} (EOF, reset: the server closed the connection)</td><td>CONNECTION_CLOSED</td></tr>
 *   <tr><td>anything else</td><td>CONNECTION_FAILED</td></tr>
 * </table>
 *
 * <table>
 *   <caption>baseline kind of a status</caption>
 *   <tr><th>status</th><th>kind</th></tr>
 *   <tr><td>400, 422</td><td>INVALID_REQUEST</td></tr>
 *   <tr><td>401, 403</td><td>UNAUTHORIZED</td></tr>
 *   <tr><td>404, 405</td><td>NOT_FOUND</td></tr>
 *   <tr><td>429, 503</td><td>SERVER_BUSY</td></tr>
 *   <tr><td>500</td><td>SERVER_ERROR</td></tr>
 *   <tr><td>501</td><td>NOT_IMPLEMENTED</td></tr>
 *   <tr><td>any other non-2xx</td><td>HTTP_ERROR</td></tr>
 * </table>
 *
 * @since 0.2
 */
public final class WireFailures {

    /** A classified transport failure: the kind and a message that names the cause. */
    public record Classified(FailureKind kind, String message) {}

    private WireFailures() {}

    /**
     * Classifies a transport failure.
     *
     * @param error what the HTTP client completed the exchange with (wrappers are unwrapped)
     * @param serverName the server as messages name it, e.g. {@code llama-server}
     * @param where what was being done, e.g. {@code POST /completion on llama-server at http://127.0.0.1:8080}
     * @param afterHeaders whether the response's headers had arrived (then any I/O failure is a lost connection)
     */
    public static Classified ofTransport(Throwable error, String serverName, String where, boolean afterHeaders) {
        Throwable cause = unwrap(error);
        String said = describe(cause);
        if (afterHeaders && !(cause instanceof HttpTimeoutException)) {
            return new Classified(FailureKind.CONNECTION_CLOSED, where + ": the connection was lost mid-response ("
                    + said + ")");
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new Classified(FailureKind.CONNECTION_FAILED, where + ": connecting timed out (" + said + ")");
        }
        if (cause instanceof HttpTimeoutException) {
            return new Classified(FailureKind.TIMEOUT, where + ": " + said);
        }
        if (has(cause, UnresolvedAddressException.class) || has(cause, UnknownHostException.class)) {
            // The JDK reports an unresolvable host as a ConnectException without a message, like a refusal.
            return new Classified(FailureKind.CONNECTION_FAILED, where + ": cannot resolve the server's host ("
                    + said + ")");
        }
        if (isRefusal(cause)) {
            return new Classified(FailureKind.CONNECTION_REFUSED, where + ": connection refused, nothing listens at"
                    + " the server's address (is " + serverName + " running?)");
        }
        if (has(cause, ConnectException.class)) {
            return new Classified(FailureKind.CONNECTION_FAILED, where + ": could not connect (" + said + ")");
        }
        if (cause instanceof IOException) {
            return new Classified(FailureKind.CONNECTION_CLOSED, where + ": the server closed the connection before"
                    + " the response was complete (" + said + ")");
        }
        return new Classified(FailureKind.CONNECTION_FAILED, where + ": transport failure (" + said + ")");
    }

    /** The baseline kind of a non-success status whose body says nothing more. */
    public static FailureKind ofStatus(int httpStatus) {
        switch (httpStatus) {
            case 400:
            case 422:
                return FailureKind.INVALID_REQUEST;
            case 401:
            case 403:
                return FailureKind.UNAUTHORIZED;
            case 404:
            case 405:
                return FailureKind.NOT_FOUND;
            case 429:
            case 503:
                return FailureKind.SERVER_BUSY;
            case 500:
                return FailureKind.SERVER_ERROR;
            case 501:
                return FailureKind.NOT_IMPLEMENTED;
            default:
                return FailureKind.HTTP_ERROR;
        }
    }

    /** Whether a body is an HTML page (by its content type or its first bytes): a proxy's, never an API server's. */
    public static boolean isHtml(@Nullable String contentType, byte[] body, int length) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html")) {
            return true;
        }
        int start = 0;
        while (start < length && Character.isWhitespace(body[start])) {
            start++;
        }
        String head = new String(body, start, Math.min(length - start, 16), java.nio.charset.StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html");
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isRefusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof HttpConnectTimeoutException)) {
                String message = t.getMessage();
                // The JDK client reports a refused connection as a ConnectException without a message
                // (caused by a ClosedChannelException); other causes, such as no route, carry one.
                return message == null || message.toLowerCase(Locale.ROOT).contains("refused");
            }
        }
        return false;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
