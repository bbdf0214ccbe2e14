package dev.orket.provider.llamacpp.internal;

import dev.orket.api.FailureKind;
import dev.orket.api.spi.WireEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange of a run: sends the request, reports {@code ResponseStarted} when the headers
 * arrive, feeds the body to the SSE framer (event streams) or buffers it (everything else), and
 * bounds the wait for headers and every gap between body chunks by the run's timeout. On a timeout
 * the subscription is cancelled, which closes the connection; the caller's thread returns.
 */
public final class HttpExchange {

    /** Size limits of one exchange. */
    public static final class Limits {
        final int maxEventBytes;
        final int maxBodyBytes;

        public Limits(int maxEventBytes, int maxBodyBytes) {
            this.maxEventBytes = maxEventBytes;
            this.maxBodyBytes = maxBodyBytes;
        }
    }

    private final RunEmitter emitter;
    private final ResponseMapper mapper;
    private final boolean streamRequested;
    private final Limits limits;
    private volatile long lastProgressNanos;
    private volatile boolean headersSeen;
    private volatile long chunks;
    private volatile Flow.@Nullable Subscription subscription;
    /** Set once a stream completed normally: the rest of the body is read and discarded. */
    private volatile boolean draining;

    private HttpExchange(RunEmitter emitter, ResponseMapper mapper, boolean streamRequested, Limits limits) {
        this.emitter = emitter;
        this.mapper = mapper;
        this.streamRequested = streamRequested;
        this.limits = limits;
    }

    /**
     * Runs the exchange to its terminal event, on the caller's thread.
     *
     * @param client the HTTP/1.1 client
     * @param request the request, its body attached
     * @param timeout the bound on the wait for headers and on each gap between chunks
     * @param chat whether the endpoint is the OpenAI chat one
     * @param streamRequested whether the run asked for a stream
     * @param emitter the run's guarded recorder
     * @param limits size limits
     */
    public static void run(HttpClient client, HttpRequest request, Duration timeout, boolean chat,
            boolean streamRequested, RunEmitter emitter, Limits limits) {
        HttpExchange exchange = new HttpExchange(emitter, new ResponseMapper(chat, emitter), streamRequested, limits);
        exchange.execute(client, request, timeout);
    }

    private void execute(HttpClient client, HttpRequest request, Duration timeout) {
        lastProgressNanos = System.nanoTime();
        emitter.emit(new WireEvent.RequestSent());
        CompletableFuture<HttpResponse<Void>> future;
        try {
            future = client.sendAsync(request, this::onHeaders);
        } catch (RuntimeException e) {
            emitter.finish(new WireEvent.Failed(FailureKind.CONNECTION_FAILED,
                    "could not send the request: " + e.getMessage(), null));
            emitter.rethrowBug();
            return;
        }
        future.whenComplete((response, error) -> {
            if (error != null) {
                onTransportError(unwrap(error));
            }
        });
        awaitEnd(future, timeout);
        emitter.rethrowBug();
    }

    private void awaitEnd(CompletableFuture<HttpResponse<Void>> future, Duration timeout) {
        long timeoutNanos = timeout.toNanos();
        synchronized (emitter) {
            while (!emitter.done()) {
                long idle = System.nanoTime() - lastProgressNanos;
                long remaining = timeoutNanos - idle;
                if (remaining <= 0) {
                    String message = headersSeen
                            ? "no data from llama-server for " + timeout.toMillis() + " ms after " + chunks + " body chunks"
                            : "no response headers from llama-server within " + timeout.toMillis() + " ms";
                    emitter.finish(new WireEvent.Failed(FailureKind.TIMEOUT, message, null));
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(emitter, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    emitter.finish(new WireEvent.Cancelled("the calling thread was interrupted"));
                    break;
                }
            }
        }
        abort(future);
    }

    /** Closes the connection unless the body already ended; idempotent. */
    private void abort(CompletableFuture<HttpResponse<Void>> future) {
        if (future.isDone()) {
            return;
        }
        Flow.Subscription s = subscription;
        if (draining || mapper.completed()) {
            // A completed stream reads its last few bytes so the connection ends cleanly.
            return;
        }
        if (s != null) {
            s.cancel();
        }
        future.cancel(true);
    }

    private HttpResponse.BodySubscriber<Void> onHeaders(HttpResponse.ResponseInfo info) {
        headersSeen = true;
        lastProgressNanos = System.nanoTime();
        int status = info.statusCode();
        if (!emitter.emit(new WireEvent.ResponseStarted(status))) {
            // The run already ended (timed out or cancelled while the headers were in flight).
            return HttpResponse.BodySubscribers.fromSubscriber(new Cancelling());
        }
        String contentType = info.headers().firstValue("Content-Type").orElse("");
        boolean sse = streamRequested && status == 200 && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
        Flow.Subscriber<List<ByteBuffer>> body = sse ? new SseBody() : new BufferedBody(status, contentType);
        return HttpResponse.BodySubscribers.fromSubscriber(body);
    }

    private void onTransportError(Throwable error) {
        if (emitter.done()) {
            return;
        }
        if (headersSeen) {
            emitter.finish(new WireEvent.Failed(FailureKind.CONNECTION_CLOSED,
                    "connection to llama-server lost mid-response: " + describe(error), null));
            return;
        }
        FailureKind kind;
        if (error instanceof HttpConnectTimeoutException) {
            kind = FailureKind.CONNECTION_FAILED;
        } else if (error instanceof HttpTimeoutException) {
            kind = FailureKind.TIMEOUT;
        } else if (hasCause(error, ConnectException.class)) {
            kind = isRefusal(error) ? FailureKind.CONNECTION_REFUSED : FailureKind.CONNECTION_FAILED;
        } else if (error instanceof IOException) {
            kind = FailureKind.CONNECTION_CLOSED;
        } else {
            kind = FailureKind.CONNECTION_FAILED;
        }
        emitter.finish(new WireEvent.Failed(kind, "llama-server request failed: " + describe(error), null));
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRefusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                String message = t.getMessage();
                // The JDK client reports a refused connection as a ConnectException without a message
                // (caused by a ClosedChannelException); other causes, such as no route, carry one.
                return message == null || message.toLowerCase(Locale.ROOT).contains("refused");
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Feeds an event stream to the framer. */
    private final class SseBody implements Flow.Subscriber<List<ByteBuffer>>, SseFramer.Listener {
        private final SseFramer framer = new SseFramer(this, limits.maxEventBytes);

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public boolean onEvent(byte[] bytes, int offset, int length) {
            return mapper.onEvent(bytes, offset, length);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            lastProgressNanos = System.nanoTime();
            chunks++;
            Flow.Subscription s = subscription;
            if (!framer.stopped()) {
                try {
                    for (int i = 0, n = items.size(); i < n && !framer.stopped(); i++) {
                        framer.feed(items.get(i));
                    }
                } catch (SseFramer.EventTooLargeException e) {
                    emitter.finish(new WireEvent.Failed(FailureKind.RESPONSE_TOO_LARGE, e.getMessage(), null));
                }
            }
            if (s == null) {
                return;
            }
            if (emitter.done() && !draining) {
                if (mapper.completed()) {
                    // Read the few bytes after the end marker so the connection ends cleanly.
                    draining = true;
                    s.request(Long.MAX_VALUE);
                } else {
                    s.cancel();
                }
                return;
            }
            if (!draining) {
                s.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            onTransportError(unwrap(error));
        }

        @Override
        public void onComplete() {
            mapper.onEndOfStream();
        }
    }

    /** Cancels the body at once: closes the connection of a run that already ended. */
    private static final class Cancelling implements Flow.Subscriber<List<ByteBuffer>> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {}

        @Override
        public void onError(Throwable error) {}

        @Override
        public void onComplete() {}
    }

    /** Buffers a whole body up to the limit, then maps it. */
    private final class BufferedBody implements Flow.Subscriber<List<ByteBuffer>> {
        private final int status;
        private final String contentType;
        private byte[] body = new byte[8192];
        private int length;
        private boolean overflow;

        BufferedBody(int status, String contentType) {
            this.status = status;
            this.contentType = contentType;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            lastProgressNanos = System.nanoTime();
            chunks++;
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if ((long) length + n > limits.maxBodyBytes) {
                    overflow = true;
                    break;
                }
                if (length + n > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(Math.max((long) body.length * 2, length + n),
                            limits.maxBodyBytes));
                }
                item.get(body, length, n);
                length += n;
            }
            Flow.Subscription s = subscription;
            if (overflow) {
                emitter.finish(new WireEvent.Failed(FailureKind.RESPONSE_TOO_LARGE,
                        "llama-server's response body exceeded " + limits.maxBodyBytes + " bytes", status));
                if (s != null) {
                    s.cancel();
                }
            } else if (s != null) {
                s.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            onTransportError(unwrap(error));
        }

        @Override
        public void onComplete() {
            if (!overflow) {
                mapper.onBody(body, length, status, contentType, streamRequested);
            }
        }
    }
}
