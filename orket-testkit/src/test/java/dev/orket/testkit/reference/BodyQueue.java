package dev.orket.testkit.reference;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A body subscriber whose bytes are taken with a deadline per take, so that a stalled stream ends by
 * the client's gap timeout; cancelling closes the connection.
 */
final class BodyQueue implements HttpResponse.BodySubscriber<Void> {

    /** What {@link #take} returns at the end of the body. */
    static final byte[] END = new byte[0];

    private static final Object COMPLETE = new Object();

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Flow.@Nullable Subscription subscription;

    @Override
    public CompletionStage<Void> getBody() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
        subscription = value;
        value.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        items.add(buffers);
    }

    @Override
    public void onError(Throwable error) {
        items.add(error);
    }

    @Override
    public void onComplete() {
        items.add(COMPLETE);
    }

    /**
     * The next bytes, {@link #END} at the end of the body, or null when nothing came within the timeout.
     *
     * @throws IOException when the connection failed
     */
    byte @Nullable [] take(long timeoutNanos) throws IOException, InterruptedException {
        Object item = items.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (item == null) {
            return null;
        }
        if (item == COMPLETE) {
            return END;
        }
        if (item instanceof Throwable) {
            Throwable error = (Throwable) item;
            throw error instanceof IOException ? (IOException) error : new IOException(error);
        }
        @SuppressWarnings("unchecked")
        List<ByteBuffer> buffers = (List<ByteBuffer>) item;
        int length = 0;
        for (ByteBuffer buffer : buffers) {
            length += buffer.remaining();
        }
        byte[] bytes = new byte[length];
        int position = 0;
        for (ByteBuffer buffer : buffers) {
            int remaining = buffer.remaining();
            buffer.get(bytes, position, remaining);
            position += remaining;
        }
        Flow.Subscription current = subscription;
        if (current != null) {
            current.request(1);
        }
        return bytes.length == 0 ? new byte[0] : bytes;
    }

    /** Stops the body; the client closes the connection. */
    void cancel() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
