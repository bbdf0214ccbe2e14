package dev.orket.core.stream;

import dev.orket.api.FailureKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call outside a measured run: the whole exchange, headers and body, within the transport's admin deadline,
 * the body read whole up to its cap, a {@code GET} sent again once when a kept-alive connection turns out closed.
 */
final class AdminCall {

    private static final Logger LOG = LoggerFactory.getLogger(AdminCall.class);

    private final HttpTransport transport;

    AdminCall(HttpTransport transport) {
        this.transport = transport;
    }

    /** One call: {@code GET} when the body is null, else {@code POST} of it. */
    AdminResponse call(String method, String path, byte @Nullable [] body) throws AdminCallException {
    String endpoint = method + " " + path;
    long deadline = System.nanoTime() + HttpTransport.nanos(transport.adminTimeout());
    boolean retried = false;
    while (true) {
        AdminBody subscriber = new AdminBody(endpoint);
        HttpRequest.Builder builder;
        try {
            builder = transport.request(path);
        } catch (IllegalArgumentException e) {
            throw new AdminCallException(FailureKind.CONNECTION_FAILED, transport.where(endpoint) + ": not a valid URL ("
                    + e.getMessage() + ")", null);
        }
        HttpRequest httpRequest = body == null ? builder.GET().build()
                : builder.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        transport.ledger().begin();
        boolean mayHaveParked = false;
        CompletableFuture<HttpResponse<AdminResponse>> future = transport.client().sendAsync(httpRequest, subscriber::onHeaders);
        try {
            HttpResponse<AdminResponse> response = future.get(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            mayHaveParked = !subscriber.connectionClose;
            return response.body();
        } catch (TimeoutException e) {
            subscriber.abort(future);
            mayHaveParked = subscriber.headersSeen;
            throw new AdminCallException(FailureKind.TIMEOUT, transport.where(endpoint) + " did not finish within "
                    + transport.adminTimeout().toMillis() + " ms (" + (subscriber.headersSeen ? "headers came, then the body"
                            + " stalled after " + subscriber.length + " bytes" : "no response headers")
                    + "); the deadline covers the whole exchange. Raise the admin deadline (ProviderConfig.adminTimeout;"
                    + " Ollama's admin_timeout_ms) if the server is genuinely slow.",
                    subscriber.headersSeen ? subscriber.status : null);
        } catch (InterruptedException e) {
            subscriber.abort(future);
            mayHaveParked = subscriber.headersSeen;
            Thread.currentThread().interrupt();
            throw new AdminCallException(FailureKind.CONNECTION_FAILED, transport.where(endpoint) + " was interrupted", null);
        } catch (ExecutionException e) {
            Throwable cause = WireFailures.unwrap(e);
            if (cause instanceof BodyTooLargeException) {
                throw new AdminCallException(FailureKind.RESPONSE_TOO_LARGE, transport.where(endpoint) + " answered more than "
                        + transport.maxAdminBodyBytes() + " bytes, the cap on bodies Orket reads whole: no " + transport.serverName()
                        + " answer to it is that large, so the server or something in front of it misbehaves",
                        subscriber.status);
            }
            WireFailures.Classified classified = WireFailures.ofTransport(cause, transport.serverName(), transport.where(endpoint),
                    subscriber.headersSeen);
            // A server closes an idle kept-alive connection at any time; a GET is safe to send again once.
            if (!retried && body == null && !subscriber.headersSeen
                    && classified.kind() == FailureKind.CONNECTION_CLOSED && System.nanoTime() < deadline) {
                retried = true;
                continue;
            }
            throw new AdminCallException(classified.kind(), classified.message(),
                    subscriber.headersSeen ? subscriber.status : null);
        } finally {
            transport.ledger().end(mayHaveParked);
        }
    }
}

/** The body of {@code max_admin_body_bytes} passed. */
private static final class BodyTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException() {
        super(null, null, false, false);
    }
}

/** Reads an admin answer whole, up to the cap. */
private final class AdminBody implements HttpResponse.BodySubscriber<AdminResponse> {
    private final String endpoint;
    private final CompletableFuture<AdminResponse> result = new CompletableFuture<>();
    private volatile boolean headersSeen;
    private volatile boolean connectionClose;
    private volatile int status;
    private volatile Flow.@Nullable Subscription subscription;
    private String contentType = "";
    private byte[] buffer = new byte[1024];
    private volatile int length;

    AdminBody(String endpoint) {
        this.endpoint = endpoint;
    }

    HttpResponse.BodySubscriber<AdminResponse> onHeaders(HttpResponse.ResponseInfo info) {
        status = info.statusCode();
        contentType = info.headers().firstValue("Content-Type").orElse("");
        connectionClose = info.headers().firstValue("Connection").map(v -> v.equalsIgnoreCase("close"))
                .orElse(false);
        headersSeen = true;
        LOG.trace("{} answered {}", endpoint, status);
        return this;
    }

    void abort(CompletableFuture<?> future) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        future.cancel(true);
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
        subscription = value;
        value.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int n = item.remaining();
            if ((long) length + n > transport.maxAdminBodyBytes()) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                result.completeExceptionally(new BodyTooLargeException());
                return;
            }
            if (length + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max((long) buffer.length * 2, length + n),
                        transport.maxAdminBodyBytes()));
            }
            item.get(buffer, length, n);
            length += n;
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new AdminResponse(status, contentType, Arrays.copyOf(buffer, length)));
    }

    @Override
    public CompletionStage<AdminResponse> getBody() {
        return result;
    }
}
}
