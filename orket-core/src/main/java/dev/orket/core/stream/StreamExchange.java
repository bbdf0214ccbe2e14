package dev.orket.core.stream;

import dev.orket.api.FailureKind;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measured exchange of {@link HttpTransport#run}, from its start to its terminal event and the fate of its
 * connection: the connection and {@code RequestSent} events, the whole-run deadline and the idle gap, the body read
 * as SSE events, lines or whole (an error body's first bytes only), and the connection closed when the run ends
 * before its body did.
 */
final class StreamExchange {

    private static final Logger LOG = LoggerFactory.getLogger(StreamExchange.class);
    /** How long a completed run waits for the last bytes of its body before the connection is closed. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final HttpTransport transport;
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

    StreamExchange(HttpTransport transport, RunRequest request, RunEvents events, ResponseDecoder decoder,
            String path, byte[] body, String accept, RunRecorder recorder) {
        this.transport = transport;
        this.request = request;
        this.events = events;
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.path = path;
        this.endpoint = "POST " + path;
        this.body = body;
        this.accept = accept;
        this.recorder = recorder;
        this.timeoutNanos = HttpTransport.nanos(request.timeout());
        this.idleNanos = HttpTransport.nanos(request.idleGap());
    }

    void execute() {
        recorder.whenCancelled(reason -> events.finish(new WireEvent.Cancelled(reason)));
        if (events.ended()) {
            events.rethrowBug();
            return;
        }
        fresh = transport.ledger().begin();
        boolean mayHaveParked = false;
        try {
            if (fresh) {
                events.emit(new WireEvent.ConnectStarted());
            }
            HttpRequest httpRequest;
            try {
                httpRequest = transport.request(path)
                        .header("Content-Type", "application/json")
                        .header("Accept", accept)
                        .header(HttpTransport.RUN_ID_HEADER, HttpTransport.runIdHeaderValue(request.runId()))
                        .POST(new MarkingPublisher(HttpRequest.BodyPublishers.ofByteArray(body)))
                        .build();
                future = transport.client().sendAsync(httpRequest, this::onHeaders);
            } catch (IllegalArgumentException | IllegalStateException e) {
                events.fail(FailureKind.CONNECTION_FAILED, transport.where(endpoint) + ": could not send the request ("
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
            transport.ledger().end(mayHaveParked);
        }
        events.rethrowBug();
    }

    private void await() {
        while (!events.ended()) {
            long now = System.nanoTime();
            long deadlineLeft = startNanos + timeoutNanos - now;
            long idleLeft = lastProgressNanos + idleNanos - now;
            if (deadlineLeft <= 0) {
                events.fail(FailureKind.TIMEOUT, transport.where(endpoint) + ": the whole-run deadline of "
                        + request.timeout().toMillis() + " ms passed" + progress(), null);
                return;
            }
            if (idleLeft <= 0) {
                events.fail(FailureKind.TIMEOUT, transport.where(endpoint) + ": nothing arrived for "
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
            events.fail(FailureKind.MALFORMED_RESPONSE, transport.where(endpoint) + " answered HTTP " + status
                    + " with an HTML page (Content-Type " + contentType + "), not " + transport.serverName()
                    + "'s JSON: a proxy or a server that is not " + transport.serverName() + "?", status);
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
        WireFailures.Classified classified = WireFailures.ofTransport(cause, transport.serverName(), transport.where(endpoint), headersSeen);
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
        private final SseFramer framer = new SseFramer(decoder, transport.maxFrameBytes());

        @Override
        boolean feed(byte[] bytes, int offset, int length) {
            try {
                framer.feed(bytes, offset, length);
            } catch (SseFramer.EventTooLargeException e) {
                events.fail(FailureKind.RESPONSE_TOO_LARGE, transport.where(endpoint) + ": " + e.getMessage()
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
        private final LineFramer framer = new LineFramer(transport.maxFrameBytes());

        @Override
        boolean feed(byte[] bytes, int offset, int length) {
            LineFramer.Status status = framer.feed(bytes, offset, length, decoder);
            if (status == LineFramer.Status.LINE_TOO_LONG) {
                events.fail(FailureKind.RESPONSE_TOO_LARGE, transport.where(endpoint) + ": a line of the response exceeds "
                        + transport.maxFrameBytes() + " bytes without a newline (the limit on one line)", null);
            }
            return status == LineFramer.Status.MORE;
        }

        @Override
        void finish() {
            if (framer.finish(decoder) == LineFramer.Status.LINE_TOO_LONG) {
                events.fail(FailureKind.RESPONSE_TOO_LARGE, transport.where(endpoint) + ": the last line of the response"
                        + " exceeds " + transport.maxFrameBytes() + " bytes (the limit on one line)", null);
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
            if ((long) length + count > transport.maxBodyBytes()) {
                events.fail(FailureKind.RESPONSE_TOO_LARGE, transport.where(endpoint) + ": the response body exceeded "
                        + transport.maxBodyBytes() + " bytes (the limit on a body read whole; max_body_bytes)", head.status());
                return false;
            }
            if (length + count > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max((long) buffer.length * 2, length + count),
                        transport.maxBodyBytes()));
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
        private final byte[] kept = new byte[HttpTransport.MAX_ERROR_BODY_BYTES];
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
            String said = transport.serverName() + " answered HTTP " + status + " on " + endpoint;
            // An empty body is no page, whatever its content type: it goes by status.
            if (length > 0 && WireFailures.isHtml(head.contentType(), kept, length)) {
                events.fail(FailureKind.MALFORMED_RESPONSE, said + " with an HTML page (a proxy or a server that"
                        + " is not " + transport.serverName() + "?): " + HttpTransport.excerpt(kept, length), status);
                return;
            }
            WireEvent.Failed refined = decoder.refineError(head, kept, length);
            if (refined != null) {
                events.finish(refined);
            } else {
                events.fail(WireFailures.ofStatus(status), said + (length == 0 ? " with an empty body"
                        : ": " + HttpTransport.excerpt(kept, length)), status);
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
