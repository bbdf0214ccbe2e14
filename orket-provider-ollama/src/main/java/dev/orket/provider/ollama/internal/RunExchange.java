package dev.orket.provider.ollama.internal;

import dev.orket.api.FailureKind;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.IllegalTransitionException;
import dev.orket.api.spi.WireEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One run over HTTP/1.1: sends the request, parses the response as it arrives on the HTTP client's
 * threads, and makes the calling thread wait with the run's timeout, which bounds the wait for the
 * headers and every gap between two complete lines. When it passes, the run fails with
 * {@code TIMEOUT} and the body subscription is cancelled, which closes the connection.
 */
public final class RunExchange {

    /** The longest line (NDJSON object, or non-streaming body) accepted: 8 MiB. */
    public static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private final HttpClient client;
    private final RunRequest request;
    private final GuardedRecorder recorder;
    private final PromptMemory memory;
    private final int maxLineBytes;
    private final String path;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long lastProgressNanos;
    private volatile Flow.@Nullable Subscription subscription;
    private volatile @Nullable RuntimeException providerBug;

    public RunExchange(HttpClient client, RunRequest request, GuardedRecorder recorder, PromptMemory memory,
            int maxLineBytes) {
        this.client = client;
        this.request = request;
        this.recorder = recorder;
        this.memory = memory;
        this.maxLineBytes = maxLineBytes;
        this.path = RequestJson.path(request.promptStyle());
    }

    /** Runs the exchange to its terminal event; returns after it was recorded. */
    public void run(URI uri, byte[] body, @Nullable String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(request.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", request.stream() ? "application/x-ndjson" : "application/json")
                .POST(new SentMarkingPublisher(HttpRequest.BodyPublishers.ofByteArray(body)));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        lastProgressNanos = System.nanoTime();
        CompletableFuture<HttpResponse<Void>> future;
        try {
            future = client.sendAsync(builder.build(), this::bodySubscriber);
        } catch (RuntimeException e) {
            recorder.fail(FailureKind.CONNECTION_FAILED, "could not send to " + uri + ": " + e, null);
            return;
        }
        future.whenComplete((response, error) -> {
            if (error != null) {
                transportError(error);
            }
            done.countDown();
        });
        await(future);
        RuntimeException bug = providerBug;
        if (bug != null) {
            throw bug;
        }
    }

    private void await(CompletableFuture<HttpResponse<Void>> future) {
        long timeoutNanos = request.timeout().toNanos();
        try {
            while (true) {
                long remaining = lastProgressNanos + timeoutNanos - System.nanoTime();
                if (remaining > 0 && done.await(remaining, TimeUnit.NANOSECONDS)) {
                    break;
                }
                if (recorder.ended()) {
                    // Terminal event recorded while the body is still open: nothing more is wanted from it.
                    abort(future);
                    break;
                }
                if (lastProgressNanos + timeoutNanos - System.nanoTime() <= 0) {
                    recorder.fail(FailureKind.TIMEOUT, timeoutMessage(), null);
                    abort(future);
                    break;
                }
            }
        } catch (InterruptedException e) {
            recorder.end(new WireEvent.Cancelled("the calling thread was interrupted"));
            abort(future);
            Thread.currentThread().interrupt();
        }
    }

    private String timeoutMessage() {
        Duration timeout = request.timeout();
        return subscription == null
                ? "no response headers from " + path + " within " + timeout.toMillis() + " ms"
                : "no complete line from " + path + " for " + timeout.toMillis() + " ms (the server stalled)";
    }

    private void abort(CompletableFuture<HttpResponse<Void>> future) {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        future.cancel(true);
    }

    private HttpResponse.BodySubscriber<Void> bodySubscriber(HttpResponse.ResponseInfo info) {
        lastProgressNanos = System.nanoTime();
        int status = info.statusCode();
        try {
            recorder.record(new WireEvent.ResponseStarted(status));
        } catch (RuntimeException e) {
            providerBug = e;
            return new CancellingSubscriber();
        }
        String contentType = info.headers().firstValue("Content-Type").orElse(null);
        if (status >= 200 && status < 300) {
            if (ErrorClassifier.isHtml(contentType, "")) {
                recorder.fail(FailureKind.MALFORMED_RESPONSE, "HTTP " + status + " from " + path
                        + " with Content-Type " + contentType + ": an HTML page, not Ollama JSON (a proxy?)", status);
                return new CancellingSubscriber();
            }
            return new SuccessSubscriber(new ResponseProcessor(request, recorder, memory, status));
        }
        return new ErrorSubscriber(status, contentType);
    }

    private void transportError(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalTransitionException) {
            providerBug = (IllegalTransitionException) cause;
            return;
        }
        if (cause instanceof CancellationException || recorder.ended()) {
            return;
        }
        FailureKind kind;
        String message;
        if (cause instanceof HttpConnectTimeoutException) {
            kind = FailureKind.CONNECTION_FAILED;
            message = "connecting timed out: " + cause.getMessage();
        } else if (cause instanceof HttpTimeoutException) {
            kind = FailureKind.TIMEOUT;
            message = timeoutMessage();
        } else if (isRefused(cause)) {
            kind = FailureKind.CONNECTION_REFUSED;
            message = "connection refused: nothing listens at the server's address (is Ollama running?)";
        } else if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException
                || hasCause(cause, UnresolvedAddressException.class)) {
            kind = FailureKind.CONNECTION_FAILED;
            message = "cannot resolve the server's host: " + cause;
        } else if (cause instanceof IOException) {
            kind = FailureKind.CONNECTION_CLOSED;
            message = "the server closed the connection before the response was complete: " + cause;
        } else {
            kind = FailureKind.CONNECTION_FAILED;
            message = "transport failure: " + cause;
        }
        recorder.fail(kind, message, null);
    }

    private static boolean isRefused(Throwable cause) {
        Throwable current = cause;
        while (current != null) {
            if (current instanceof ConnectException && !(current instanceof HttpConnectTimeoutException)) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        Throwable current = error;
        while (current != null) {
            if (type.isInstance(current)) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    /** Frames and parses a 2xx body as it arrives. */
    private final class SuccessSubscriber implements HttpResponse.BodySubscriber<Void> {
        private final ResponseProcessor processor;
        private final LineFramer framer = new LineFramer(maxLineBytes);
        private final CompletableFuture<Void> body = new CompletableFuture<>();
        private final ProgressSink sink;
        private byte[] scratch = new byte[0];
        private boolean stopped;

        SuccessSubscriber(ResponseProcessor processor) {
            this.processor = processor;
            this.sink = new ProgressSink(processor);
        }

        @Override
        public void onSubscribe(Flow.Subscription value) {
            subscription = value;
            value.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (stopped) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    LineFramer.Status status;
                    int count = buffer.remaining();
                    if (buffer.hasArray()) {
                        status = framer.feed(buffer.array(), buffer.arrayOffset() + buffer.position(), count, sink);
                    } else {
                        if (scratch.length < count) {
                            scratch = new byte[Math.max(count, 16 * 1024)];
                        }
                        buffer.get(scratch, 0, count);
                        status = framer.feed(scratch, 0, count, sink);
                    }
                    if (status != LineFramer.Status.MORE) {
                        stop(status);
                        return;
                    }
                }
            } catch (RuntimeException e) {
                providerBug = e;
                stop(LineFramer.Status.STOPPED);
            }
        }

        private void stop(LineFramer.Status status) {
            stopped = true;
            if (status == LineFramer.Status.LINE_TOO_LONG) {
                recorder.fail(FailureKind.RESPONSE_TOO_LARGE, "a line of the response from " + path + " exceeds "
                        + maxLineBytes + " bytes without a newline", null);
            }
            // The run has ended: whatever follows is not read, and the connection is closed.
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
            body.complete(null);
            done.countDown();
        }

        @Override
        public void onError(Throwable error) {
            if (!stopped) {
                transportError(error);
            }
            body.complete(null);
            done.countDown();
        }

        @Override
        public void onComplete() {
            try {
                if (!stopped) {
                    if (framer.finish(sink) == LineFramer.Status.LINE_TOO_LONG) {
                        recorder.fail(FailureKind.RESPONSE_TOO_LARGE, "the last line of the response from " + path
                                + " exceeds " + maxLineBytes + " bytes", null);
                    }
                    processor.endOfBody();
                }
            } catch (RuntimeException e) {
                providerBug = e;
            }
            body.complete(null);
            done.countDown();
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }
    }

    /** Marks progress for the gap timeout on every complete line. */
    private final class ProgressSink implements LineFramer.LineSink {
        private final ResponseProcessor processor;

        ProgressSink(ResponseProcessor processor) {
            this.processor = processor;
        }

        @Override
        public boolean line(byte[] bytes, int offset, int length) {
            lastProgressNanos = System.nanoTime();
            return processor.line(bytes, offset, length);
        }
    }

    /** Collects a bounded prefix of a non-2xx body, then classifies it. */
    private final class ErrorSubscriber implements HttpResponse.BodySubscriber<Void> {
        private final int status;
        private final @Nullable String contentType;
        private final byte[] kept = new byte[MAX_ERROR_BODY_BYTES];
        private final CompletableFuture<Void> body = new CompletableFuture<>();
        private int length;

        ErrorSubscriber(int status, @Nullable String contentType) {
            this.status = status;
            this.contentType = contentType;
        }

        @Override
        public void onSubscribe(Flow.Subscription value) {
            subscription = value;
            value.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            lastProgressNanos = System.nanoTime();
            for (ByteBuffer buffer : buffers) {
                int count = Math.min(buffer.remaining(), kept.length - length);
                buffer.get(kept, length, count);
                length += count;
            }
        }

        @Override
        public void onError(Throwable error) {
            finish();
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            try {
                String text = new String(kept, 0, length, StandardCharsets.UTF_8);
                String serverError = ErrorBodies.errorMessage(kept, length);
                ErrorClassifier.Classification classification = ErrorClassifier.classify(status, contentType,
                        serverError, text, request.model(), path);
                if (classification.promptTruncated()) {
                    recorder.record(new WireEvent.QualityFlag(RunQualityReason.PROMPT_TRUNCATED,
                            "the server refused the prompt as longer than the context"));
                }
                recorder.fail(classification.kind(), classification.message(), status);
            } catch (RuntimeException e) {
                providerBug = e;
            }
            body.complete(null);
            done.countDown();
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }
    }

    /** Takes no body: cancels at once, which closes the connection. */
    private final class CancellingSubscriber implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> body = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription value) {
            value.cancel();
            body.complete(null);
            done.countDown();
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {}

        @Override
        public void onError(Throwable error) {
            body.complete(null);
            done.countDown();
        }

        @Override
        public void onComplete() {
            body.complete(null);
            done.countDown();
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }
    }

    /**
     * Reports {@link WireEvent.RequestSent} just before the body's last bytes are handed to the
     * transport, so the event always precedes the server seeing the whole request.
     */
    private final class SentMarkingPublisher implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher delegate;

        SentMarkingPublisher(HttpRequest.BodyPublisher delegate) {
            this.delegate = delegate;
        }

        @Override
        public long contentLength() {
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
                        markSent();
                    }
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable error) {
                    subscriber.onError(error);
                }

                @Override
                public void onComplete() {
                    markSent();
                    subscriber.onComplete();
                }
            });
        }

        private void markSent() {
            try {
                recorder.requestSent();
            } catch (RuntimeException e) {
                providerBug = e;
            }
        }
    }
}
