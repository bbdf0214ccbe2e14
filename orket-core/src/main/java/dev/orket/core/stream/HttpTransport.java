package dev.orket.core.stream;

import dev.orket.api.FailureKind;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP transport of every provider: a JDK {@code HttpClient} forced to HTTP/1.1 (no redirects), one per
 * provider instance, that runs measured exchanges ({@link #run}) and calls outside runs ({@link #get},
 * {@link #post}). A provider supplies only its request body and a {@link ResponseDecoder}.
 *
 * <p>A measured run reports, for every provider alike:
 *
 * <ul>
 *   <li>{@code ConnectStarted} when the request certainly opens a new connection, then {@code Connected} when the
 *       connection is ready and the request's head is about to be written; otherwise {@code ConnectionReused}.
 *       Connect time is {@code client_connect_ms}, never part of wall time or TTFT;
 *   <li>{@code RequestSent} when the body's last byte is handed to the transport: the origin of wall time and
 *       TTFT;
 *   <li>{@code ResponseStarted} with the status, then what the decoder makes of the body;
 *   <li>exactly one terminal event: the decoder's, or {@code Failed} for a transport failure (classified by
 *       {@link WireFailures}), an HTML page, a non-2xx status (the decoder may refine the baseline kind from the
 *       body), an event, line or body over its limit ({@code RESPONSE_TOO_LARGE}), output past the token
 *       ceiling ({@link RunEvents#outputTokenCeiling}), the whole-run deadline or the idle gap
 *       ({@code TIMEOUT}), or {@code Cancelled} when the caller cancels or interrupts.
 * </ul>
 *
 * <p>The whole-run deadline ({@link RunRequest#timeout()}) counts from the start of the exchange, connect
 * included; the idle gap ({@link RunRequest#idleGap()}) bounds the wait for the response's first bytes and every
 * silence between two pieces of the body. A byte is progress, so a server that drips keep-alive comments or one
 * token a second is ended by the deadline. When a run ends before its body did, the connection is closed (the
 * server stops generating and frees its slot); after a completed run the last bytes are read so the connection
 * can be reused.
 *
 * <p>Calls outside runs have a deadline on the whole exchange, headers and body ({@link ProviderConfig#adminTimeout()}),
 * and a body cap; a failure is an {@link AdminCallException} that names the endpoint and the bound.
 *
 * <p>Thread-safe: runs and calls may execute concurrently.
 *
 * @since 0.2
 */
public final class HttpTransport implements AutoCloseable {

    /** The default limit of one SSE event or line, in bytes: 8 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
    /** The default limit of a run's body read whole, in bytes: 64 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
    /** The default cap of a body read whole outside a run (props, model lists), in bytes: 16 MiB. */
    public static final int DEFAULT_MAX_ADMIN_BODY_BYTES = 16 * 1024 * 1024;
    /** How much of an error body is read to classify it, in bytes: 64 KiB. */
    public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** How long a completed run waits for the last bytes of its body before the connection is closed. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String serverName;
    private final String base;
    private final @Nullable String authorization;
    private final Duration adminTimeout;
    private final int maxFrameBytes;
    private final int maxBodyBytes;
    private final int maxAdminBodyBytes;
    private final ExecutorService executor;
    private final HttpClient client;
    private final ConnectionLedger ledger = new ConnectionLedger();

    private HttpTransport(Builder builder) {
        this.serverName = builder.serverName;
        String url = builder.config.baseUrl().toString();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.base = url + builder.pathPrefix;
        this.authorization = builder.config.apiKey() == null ? null : builder.config.apiKey().bearerHeaderValue();
        this.adminTimeout = builder.adminTimeout != null ? builder.adminTimeout : builder.config.adminTimeout();
        this.maxFrameBytes = builder.maxFrameBytes;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.maxAdminBodyBytes = builder.maxAdminBodyBytes;
        int number = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        String prefix = "orket-" + builder.threadLabel + "-" + number + "-http-";
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, prefix + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * A builder for a transport to the server of a provider configuration.
     *
     * @param config where the server is, the API key, the connect and admin deadlines
     * @param serverName the server as messages name it, e.g. {@code llama-server} or {@code Ollama}
     */
    public static Builder builder(ProviderConfig config, String serverName) {
        return new Builder(config, serverName);
    }

    /** The base URL requests go to (with any path prefix), without a trailing slash. */
    public String baseUrl() {
        return base;
    }

    /** The deadline on the whole exchange of a call outside a run. */
    public Duration adminTimeout() {
        return adminTimeout;
    }

    /**
     * Runs one measured exchange to its terminal event on the caller's thread: {@code POST} of the body to the
     * path, the response decoded by the provider's decoder. Never throws for a failure of the server; rethrows
     * what the recorder threw (an illegal transition: a provider bug).
     *
     * @param request the run (its timeout, idle gap and output limit bound the exchange)
     * @param recorder the run's recorder
     * @param path the path after the base URL, e.g. {@code /completion}
     * @param body the JSON request body
     * @param accept the {@code Accept} header
     * @param decoders makes the run's decoder, given the run's guarded events
     */
    public void run(RunRequest request, RunRecorder recorder, String path, byte[] body, String accept,
            Function<RunEvents, ResponseDecoder> decoders) {
        RunEvents events = new RunEvents(recorder, request.maxOutputTokens());
        new Exchange(request, events, decoders.apply(events), path, body, accept, recorder).execute();
    }

    /**
     * {@code GET} of a path, read whole within the admin deadline and the body cap.
     *
     * @throws AdminCallException when the server cannot be reached, the exchange misses its deadline or the body
     *     passes the cap; a non-2xx answer is returned, not thrown
     */
    public AdminResponse get(String path) throws AdminCallException {
        return admin("GET", path, null);
    }

    /**
     * {@code POST} of a JSON body to a path, read whole within the admin deadline and the body cap.
     *
     * @throws AdminCallException as {@link #get}
     */
    public AdminResponse post(String path, byte[] jsonBody) throws AdminCallException {
        return admin("POST", path, Objects.requireNonNull(jsonBody, "jsonBody"));
    }

    /** Closes the client's connections and threads; the transport is unusable afterwards. */
    @Override
    public void close() {
        if (client instanceof AutoCloseable) {
            // HttpClient is AutoCloseable from Java 21 on; on 17 its threads end with the executor and the client.
            try {
                ((AutoCloseable) client).close();
            } catch (Exception e) {
                LOG.debug("closing the HTTP client failed: {}", e.toString());
            }
        }
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "HttpTransport[" + serverName + " at " + base + "]";
    }

    private String where(String endpoint) {
        return endpoint + " on " + serverName + " at " + base;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    // ---------------------------------------------------------------- admin calls

    private AdminResponse admin(String method, String path, byte @Nullable [] body) throws AdminCallException {
        String endpoint = method + " " + path;
        long deadline = System.nanoTime() + nanos(adminTimeout);
        boolean retried = false;
        while (true) {
            AdminBody subscriber = new AdminBody(endpoint);
            HttpRequest.Builder builder;
            try {
                builder = request(path);
            } catch (IllegalArgumentException e) {
                throw new AdminCallException(FailureKind.CONNECTION_FAILED, where(endpoint) + ": not a valid URL ("
                        + e.getMessage() + ")", null);
            }
            HttpRequest httpRequest = body == null ? builder.GET().build()
                    : builder.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            ledger.begin();
            boolean mayHaveParked = false;
            CompletableFuture<HttpResponse<AdminResponse>> future = client.sendAsync(httpRequest, subscriber::onHeaders);
            try {
                HttpResponse<AdminResponse> response = future.get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                mayHaveParked = !subscriber.connectionClose;
                return response.body();
            } catch (TimeoutException e) {
                subscriber.abort(future);
                mayHaveParked = subscriber.headersSeen;
                throw new AdminCallException(FailureKind.TIMEOUT, where(endpoint) + " did not finish within "
                        + adminTimeout.toMillis() + " ms (" + (subscriber.headersSeen ? "headers came, then the body"
                                + " stalled after " + subscriber.length + " bytes" : "no response headers")
                        + "); the deadline covers the whole exchange. Raise the admin deadline (ProviderConfig.adminTimeout;"
                        + " Ollama's admin_timeout_ms) if the server is genuinely slow.",
                        subscriber.headersSeen ? subscriber.status : null);
            } catch (InterruptedException e) {
                subscriber.abort(future);
                mayHaveParked = subscriber.headersSeen;
                Thread.currentThread().interrupt();
                throw new AdminCallException(FailureKind.CONNECTION_FAILED, where(endpoint) + " was interrupted", null);
            } catch (ExecutionException e) {
                Throwable cause = WireFailures.unwrap(e);
                if (cause instanceof BodyTooLargeException) {
                    throw new AdminCallException(FailureKind.RESPONSE_TOO_LARGE, where(endpoint) + " answered more than "
                            + maxAdminBodyBytes + " bytes, the cap on bodies Orket reads whole: no " + serverName
                            + " answer to it is that large, so the server or something in front of it misbehaves",
                            subscriber.status);
                }
                WireFailures.Classified classified = WireFailures.ofTransport(cause, serverName, where(endpoint),
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
                ledger.end(mayHaveParked);
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
                if ((long) length + n > maxAdminBodyBytes) {
                    Flow.Subscription s = subscription;
                    if (s != null) {
                        s.cancel();
                    }
                    result.completeExceptionally(new BodyTooLargeException());
                    return;
                }
                if (length + n > buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max((long) buffer.length * 2, length + n),
                            maxAdminBodyBytes));
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

    // ---------------------------------------------------------------- measured runs

    /** One measured exchange, from its start to its terminal event and the fate of its connection. */
    private final class Exchange {
        private final RunRequest request;
        private final RunEvents events;
        private final ResponseDecoder decoder;
        private final String path;
        private final String endpoint;
        private final byte[] body;
        private final String accept;
        private final RunRecorder recorder;
        private final long startNanos = System.nanoTime();
        private final long timeoutNanos;
        private final long idleNanos;
        private final AtomicBoolean connectionReported = new AtomicBoolean();
        private boolean fresh;
        private volatile long lastProgressNanos = startNanos;
        private volatile boolean headersSeen;
        private volatile boolean connectionClose;
        private volatile boolean bodyEnded;
        private volatile boolean transportFailed;
        private volatile long bytesReceived;
        private volatile Flow.@Nullable Subscription subscription;
        private @Nullable CompletableFuture<HttpResponse<Void>> future;

        Exchange(RunRequest request, RunEvents events, ResponseDecoder decoder, String path, byte[] body,
                String accept, RunRecorder recorder) {
            this.request = request;
            this.events = events;
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            this.path = path;
            this.endpoint = "POST " + path;
            this.body = body;
            this.accept = accept;
            this.recorder = recorder;
            this.timeoutNanos = nanos(request.timeout());
            this.idleNanos = nanos(request.idleGap());
        }

        void execute() {
            recorder.whenCancelled(reason -> events.finish(new WireEvent.Cancelled(reason)));
            if (events.ended()) {
                events.rethrowBug();
                return;
            }
            fresh = ledger.begin();
            boolean mayHaveParked = false;
            try {
                if (fresh) {
                    events.emit(new WireEvent.ConnectStarted());
                }
                HttpRequest httpRequest;
                try {
                    httpRequest = request(path)
                            .header("Content-Type", "application/json")
                            .header("Accept", accept)
                            .POST(new MarkingPublisher(HttpRequest.BodyPublishers.ofByteArray(body)))
                            .build();
                    future = client.sendAsync(httpRequest, this::onHeaders);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    events.fail(FailureKind.CONNECTION_FAILED, where(endpoint) + ": could not send the request ("
                            + e.getMessage() + ")", null);
                    return;
                }
                future.whenComplete((response, error) -> {
                    if (error != null) {
                        onTransportError(error);
                    }
                });
                await();
                mayHaveParked = closeOut();
            } finally {
                ledger.end(mayHaveParked);
            }
            events.rethrowBug();
        }

        private void await() {
            while (!events.ended()) {
                long now = System.nanoTime();
                long deadlineLeft = startNanos + timeoutNanos - now;
                long idleLeft = lastProgressNanos + idleNanos - now;
                if (deadlineLeft <= 0) {
                    events.fail(FailureKind.TIMEOUT, where(endpoint) + ": the whole-run deadline of "
                            + request.timeout().toMillis() + " ms passed" + progress(), null);
                    return;
                }
                if (idleLeft <= 0) {
                    events.fail(FailureKind.TIMEOUT, where(endpoint) + ": nothing arrived for "
                            + request.idleGap().toMillis() + " ms (the idle gap): the server stalled" + progress(), null);
                    return;
                }
                try {
                    events.awaitEnd(Math.min(deadlineLeft, idleLeft));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    events.finish(new WireEvent.Cancelled("the calling thread was interrupted"));
                    return;
                }
            }
        }

        private String progress() {
            if (!headersSeen) {
                return events.requestSent() ? " before the response headers" : " before the request was sent";
            }
            return " after " + bytesReceived + " body bytes and " + events.outputTokens() + " output tokens";
        }

        /**
         * Settles the connection once the run ended: a completed run reads the last bytes of its body (so the
         * connection can be reused), anything else closes it. Returns whether the client may have parked it.
         */
        private boolean closeOut() {
            CompletableFuture<HttpResponse<Void>> f = future;
            if (f == null) {
                return false;
            }
            if (!bodyEnded && events.completed() && !transportFailed) {
                try {
                    f.get(Math.min(DRAIN_NANOS, idleNanos), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException | CancellationException e) {
                    LOG.debug("{}: the body did not end after the run completed: {}", endpoint, e.toString());
                }
            }
            if (bodyEnded) {
                return !connectionClose;
            }
            if (transportFailed) {
                return false;
            }
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            f.cancel(true);
            // Cancelled while the body was open: the client may have finished it and parked the connection.
            return headersSeen;
        }

        private HttpResponse.BodySubscriber<Void> onHeaders(HttpResponse.ResponseInfo info) {
            lastProgressNanos = System.nanoTime();
            headersSeen = true;
            int status = info.statusCode();
            String contentType = info.headers().firstValue("Content-Type").orElse("");
            connectionClose = info.headers().firstValue("Connection").map(v -> v.equalsIgnoreCase("close"))
                    .orElse(false);
            // A server may answer before it read the whole body; the request still went out first.
            reportSent();
            if (!events.emit(new WireEvent.ResponseStarted(status))) {
                return new Discard();
            }
            ResponseHead head = new ResponseHead(status, contentType, endpoint);
            if (!head.success()) {
                return new ErrorBody(head);
            }
            if (WireFailures.isHtml(contentType, new byte[0], 0)) {
                events.fail(FailureKind.MALFORMED_RESPONSE, where(endpoint) + " answered HTTP " + status
                        + " with an HTML page (Content-Type " + contentType + "), not " + serverName
                        + "'s JSON: a proxy or a server that is not " + serverName + "?", status);
                return new Discard();
            }
            Framing framing;
            try {
                framing = decoder.framing(head);
            } catch (RuntimeException e) {
                events.crash(e);
                return new Discard();
            }
            switch (framing) {
                case SSE_EVENTS:
                    return new SseBody();
                case LINES:
                    return new LineBody();
                case WHOLE_BODY:
                    return new WholeBody(head);
                default:
                    throw new AssertionError(framing);
            }
        }

        private void reportConnection() {
            if (connectionReported.compareAndSet(false, true)) {
                events.emit(fresh ? new WireEvent.Connected() : new WireEvent.ConnectionReused());
            }
        }

        private void reportSent() {
            reportConnection();
            lastProgressNanos = System.nanoTime();
            events.emit(new WireEvent.RequestSent());
        }

        private void onTransportError(Throwable error) {
            Throwable cause = WireFailures.unwrap(error);
            if (cause instanceof CancellationException) {
                return;
            }
            transportFailed = true;
            if (events.ended()) {
                return;
            }
            WireFailures.Classified classified = WireFailures.ofTransport(cause, serverName, where(endpoint), headersSeen);
            events.fail(classified.kind(), classified.message(), null);
        }

        /**
         * The request body, marked: the client asks its length right before it writes the request's head on a
         * ready connection ({@code Connected} or {@code ConnectionReused}), and the last bytes are reported sent
         * just before they are handed over, so {@code RequestSent} always precedes the server seeing them.
         */
        private final class MarkingPublisher implements HttpRequest.BodyPublisher {
            private final HttpRequest.BodyPublisher delegate;

            MarkingPublisher(HttpRequest.BodyPublisher delegate) {
                this.delegate = delegate;
            }

            @Override
            public long contentLength() {
                reportConnection();
                return delegate.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                long length = delegate.contentLength();
                delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
                    private long handed;

                    @Override
                    public void onSubscribe(Flow.Subscription value) {
                        subscriber.onSubscribe(value);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        handed += item.remaining();
                        if (handed >= length) {
                            reportSent();
                        }
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable error) {
                        subscriber.onError(error);
                    }

                    @Override
                    public void onComplete() {
                        reportSent();
                        subscriber.onComplete();
                    }
                });
            }
        }

        /** The common life of a body: progress, bytes handed to {@link #feed}, end and errors. */
        private abstract class Body implements HttpResponse.BodySubscriber<Void> {
            private final CompletableFuture<Void> done = new CompletableFuture<>();
            private byte[] scratch = new byte[0];
            /** Set once the run ended: the rest is read and dropped (a completed run) or the body is cancelled. */
            boolean stopped;

            /** Frames or keeps the bytes; returns false once the run ended. */
            abstract boolean feed(byte[] bytes, int offset, int length);

            /** The body ended cleanly and the run is not over yet. */
            abstract void finish();

            @Override
            public void onSubscribe(Flow.Subscription value) {
                subscription = value;
                value.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                lastProgressNanos = System.nanoTime();
                if (stopped) {
                    return;
                }
                try {
                    for (int i = 0, n = items.size(); i < n && !stopped; i++) {
                        ByteBuffer item = items.get(i);
                        int count = item.remaining();
                        bytesReceived += count;
                        boolean more;
                        if (item.hasArray()) {
                            more = feed(item.array(), item.arrayOffset() + item.position(), count);
                        } else {
                            if (scratch.length < count) {
                                scratch = new byte[Math.max(count, 16 * 1024)];
                            }
                            item.get(scratch, 0, count);
                            more = feed(scratch, 0, count);
                        }
                        stopped = !more || events.ended();
                    }
                } catch (RuntimeException e) {
                    stopped = true;
                    events.crash(e);
                }
            }

            @Override
            public void onError(Throwable error) {
                transportFailed = true;
                onTransportError(error);
                done.complete(null);
            }

            @Override
            public void onComplete() {
                bodyEnded = true;
                try {
                    if (!stopped && !events.ended()) {
                        finish();
                    }
                } catch (RuntimeException e) {
                    events.crash(e);
                }
                done.complete(null);
            }

            @Override
            public CompletionStage<Void> getBody() {
                return done;
            }
        }

        /** Event streams: the SSE framer hands each event's data to the decoder. */
        private final class SseBody extends Body {
            private final SseFramer framer = new SseFramer(decoder, maxFrameBytes);

            @Override
            boolean feed(byte[] bytes, int offset, int length) {
                try {
                    framer.feed(bytes, offset, length);
                } catch (SseFramer.EventTooLargeException e) {
                    events.fail(FailureKind.RESPONSE_TOO_LARGE, where(endpoint) + ": " + e.getMessage()
                            + " (the limit on one event; max_event_bytes)", null);
                    return false;
                }
                return !framer.stopped();
            }

            @Override
            void finish() {
                decoder.endOfBody();
            }
        }

        /** Line streams: the line framer hands each line to the decoder. */
        private final class LineBody extends Body {
            private final LineFramer framer = new LineFramer(maxFrameBytes);

            @Override
            boolean feed(byte[] bytes, int offset, int length) {
                LineFramer.Status status = framer.feed(bytes, offset, length, decoder);
                if (status == LineFramer.Status.LINE_TOO_LONG) {
                    events.fail(FailureKind.RESPONSE_TOO_LARGE, where(endpoint) + ": a line of the response exceeds "
                            + maxFrameBytes + " bytes without a newline (the limit on one line)", null);
                }
                return status == LineFramer.Status.MORE;
            }

            @Override
            void finish() {
                if (framer.finish(decoder) == LineFramer.Status.LINE_TOO_LONG) {
                    events.fail(FailureKind.RESPONSE_TOO_LARGE, where(endpoint) + ": the last line of the response"
                            + " exceeds " + maxFrameBytes + " bytes (the limit on one line)", null);
                    return;
                }
                decoder.endOfBody();
            }
        }

        /** A body read whole, up to the body limit. */
        private final class WholeBody extends Body {
            private final ResponseHead head;
            private byte[] buffer = new byte[8192];
            private int length;

            WholeBody(ResponseHead head) {
                this.head = head;
            }

            @Override
            boolean feed(byte[] bytes, int offset, int count) {
                if ((long) length + count > maxBodyBytes) {
                    events.fail(FailureKind.RESPONSE_TOO_LARGE, where(endpoint) + ": the response body exceeded "
                            + maxBodyBytes + " bytes (the limit on a body read whole; max_body_bytes)", head.status());
                    return false;
                }
                if (length + count > buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max((long) buffer.length * 2, length + count),
                            maxBodyBytes));
                }
                System.arraycopy(bytes, offset, buffer, length, count);
                length += count;
                return true;
            }

            @Override
            void finish() {
                decoder.wholeBody(head, buffer, length);
            }
        }

        /** A non-2xx answer: its first bytes are classified, the rest is not read. */
        private final class ErrorBody extends Body {
            private final ResponseHead head;
            private final byte[] kept = new byte[MAX_ERROR_BODY_BYTES];
            private int length;

            ErrorBody(ResponseHead head) {
                this.head = head;
            }

            @Override
            boolean feed(byte[] bytes, int offset, int count) {
                int take = Math.min(count, kept.length - length);
                System.arraycopy(bytes, offset, kept, length, take);
                length += take;
                if (length == kept.length) {
                    // Enough to classify: an error body longer than this says nothing more.
                    classify();
                    return false;
                }
                return true;
            }

            @Override
            void finish() {
                classify();
            }

            private void classify() {
                int status = head.status();
                String said = serverName + " answered HTTP " + status + " on " + endpoint;
                // An empty body is no page, whatever its content type: it goes by status.
                if (length > 0 && WireFailures.isHtml(head.contentType(), kept, length)) {
                    events.fail(FailureKind.MALFORMED_RESPONSE, said + " with an HTML page (a proxy or a server that"
                            + " is not " + serverName + "?): " + excerpt(kept, length), status);
                    return;
                }
                WireEvent.Failed refined = decoder.refineError(head, kept, length);
                if (refined != null) {
                    events.finish(refined);
                } else {
                    events.fail(WireFailures.ofStatus(status), said + (length == 0 ? " with an empty body"
                            : ": " + excerpt(kept, length)), status);
                }
            }
        }

        /** Takes no body (the run already ended): cancels it, which closes the connection. */
        private final class Discard extends Body {
            Discard() {
                this.stopped = true;
            }

            @Override
            public void onSubscribe(Flow.Subscription value) {
                super.onSubscribe(value);
                value.cancel();
            }

            @Override
            boolean feed(byte[] bytes, int offset, int length) {
                return false;
            }

            @Override
            void finish() {}
        }
    }

    /** The first 2,000 characters of a body as text, for messages. */
    static String excerpt(byte[] body, int length) {
        String text = new String(body, 0, length, StandardCharsets.UTF_8).strip();
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "…";
    }

    /** Configures an {@link HttpTransport}; every setter returns this builder. */
    public static final class Builder {
        private final ProviderConfig config;
        private final String serverName;
        private String threadLabel;
        private String pathPrefix = "";
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxAdminBodyBytes = DEFAULT_MAX_ADMIN_BODY_BYTES;
        private @Nullable Duration adminTimeout;

        private Builder(ProviderConfig config, String serverName) {
            this.config = Objects.requireNonNull(config, "config");
            this.serverName = Objects.requireNonNull(serverName, "serverName");
            this.threadLabel = serverName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        }

        /** A path every request's path is appended to, e.g. llama-server's {@code --api-prefix} {@code /llama}. */
        public Builder pathPrefix(String value) {
            this.pathPrefix = Objects.requireNonNull(value, "pathPrefix");
            return this;
        }

        /** The label in the names of the client's threads, e.g. {@code ollama}. */
        public Builder threadLabel(String value) {
            this.threadLabel = Objects.requireNonNull(value, "threadLabel");
            return this;
        }

        /** The longest SSE event or line, in bytes; longer ends the run {@code RESPONSE_TOO_LARGE}. */
        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = positive(value, "maxFrameBytes");
            return this;
        }

        /** The longest body of a run read whole, in bytes. */
        public Builder maxBodyBytes(int value) {
            this.maxBodyBytes = positive(value, "maxBodyBytes");
            return this;
        }

        /** The cap of a body read whole outside a run, in bytes. */
        public Builder maxAdminBodyBytes(int value) {
            this.maxAdminBodyBytes = positive(value, "maxAdminBodyBytes");
            return this;
        }

        /** The admin deadline, overriding {@link ProviderConfig#adminTimeout()}. */
        public Builder adminTimeout(Duration value) {
            Objects.requireNonNull(value, "adminTimeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("adminTimeout must be positive but was " + value);
            }
            this.adminTimeout = value;
            return this;
        }

        public HttpTransport build() {
            return new HttpTransport(this);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be > 0 but was " + value);
            }
            return value;
        }
    }
}
