package dev.orket.simulator.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * One step of a {@link Script}, at an offset from the request's arrival. Dispatch by
 * {@code instanceof}: the server handles every kind.
 *
 * @since 0.1
 */
public sealed interface ScriptStep {

    /** The step's offset from the moment the request arrived. */
    Duration at();

    /** What the client must record after this step before the clock moves on. */
    Await await();

    /** Sends the status line and headers. */
    record Head(Duration at, Await await) implements ScriptStep {
        public Head {
            requireOffset(at);
            Objects.requireNonNull(await, "await");
        }
    }

    /** Sends body bytes: one HTTP chunk when the script is chunked, raw bytes otherwise. */
    record Data(Duration at, byte[] bytes, Await await) implements ScriptStep {
        public Data {
            requireOffset(at);
            Objects.requireNonNull(await, "await");
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        int length() {
            return bytes.length;
        }

        byte[] unsafeBytes() {
            return bytes;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Data && ((Data) other).at.equals(at) && ((Data) other).await == await
                    && Arrays.equals(((Data) other).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(at, await, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return "Data[at=" + at + ", bytes=" + bytes.length + ", await=" + await + "]";
        }
    }

    /**
     * Sends nothing from {@code at} until the client disconnects, the server closes or {@code length}
     * of real time passes (then the script goes on). The virtual clock stays at {@code at}.
     */
    record Stall(Duration at, Duration length) implements ScriptStep {
        public Stall {
            requireOffset(at);
            Objects.requireNonNull(length, "length");
        }

        @Override
        public Await await() {
            return Await.NOTHING;
        }
    }

    /**
     * Sends the same bytes again and again, every {@code every} of real time, from {@code at} until the client
     * disconnects, the server closes or {@code length} of real time passes (then the script goes on): a server
     * that drips keep-alive comments or one token a second. One HTTP chunk per drip when the script is chunked.
     * The virtual clock stays at {@code at}; the client's events are not awaited.
     *
     * @since 0.2
     */
    record Drip(Duration at, byte[] bytes, Duration every, Duration length) implements ScriptStep {
        public Drip {
            requireOffset(at);
            bytes = bytes.clone();
            Objects.requireNonNull(every, "every");
            Objects.requireNonNull(length, "length");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("every must be positive but was " + every);
            }
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        byte[] unsafeBytes() {
            return bytes;
        }

        @Override
        public Await await() {
            return Await.NOTHING;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Drip && ((Drip) other).at.equals(at) && ((Drip) other).every.equals(every)
                    && ((Drip) other).length.equals(length) && Arrays.equals(((Drip) other).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(at, every, length, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return "Drip[at=" + at + ", bytes=" + bytes.length + ", every=" + every + ", length=" + length + "]";
        }
    }

    /**
     * Sends bytes exactly as given, outside the body's framing: a chunk header whose chunk is cut short, a broken
     * status line, bytes after the declared length. Not part of {@link Script#body()}. Use it for damage the framing
     * would otherwise repair.
     *
     * @since 0.2
     */
    record Raw(Duration at, byte[] bytes, Await await) implements ScriptStep {
        public Raw {
            requireOffset(at);
            Objects.requireNonNull(await, "await");
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        byte[] unsafeBytes() {
            return bytes;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Raw && ((Raw) other).at.equals(at) && ((Raw) other).await == await
                    && Arrays.equals(((Raw) other).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(at, await, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return "Raw[at=" + at + ", bytes=" + bytes.length + ", await=" + await + "]";
        }
    }

    /** Closes the socket abruptly, without the chunked terminator. */
    record Disconnect(Duration at, Await await) implements ScriptStep {
        public Disconnect {
            requireOffset(at);
            Objects.requireNonNull(await, "await");
        }
    }

    /** Ends the body (the chunked terminator {@code 0\r\n\r\n} when chunked) and closes the connection. */
    record End(Duration at, Await await) implements ScriptStep {
        public End {
            requireOffset(at);
            Objects.requireNonNull(await, "await");
        }
    }

    private static void requireOffset(Duration at) {
        Objects.requireNonNull(at, "at");
        if (at.isNegative()) {
            throw new IllegalArgumentException("offset must be >= 0 but was " + at);
        }
    }
}
