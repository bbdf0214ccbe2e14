package dev.orket.sidecar.nvidia.internal;

/** Caps on what the sidecar keeps of a tool's output, so a flooding tool cannot exhaust memory. */
public final class NvidiaLimits {

    /** Longest line kept, in bytes; a longer one is dropped and the reading marked truncated. */
    public static final int MAX_LINE_BYTES = 1 << 16;

    /** Bytes kept from one one-shot query. */
    public static final long MAX_ONCE_BYTES = 8L << 20;

    /** Bytes kept from one sampling session. */
    public static final long MAX_LOOP_BYTES = 32L << 20;

    private NvidiaLimits() {}
}
