package dev.orket.core.inventory;

/**
 * Whether an inventory computes sha256 digests, and up to which file size.
 *
 * @param compute compute digests (off by default: hashing tens of GiB is slow)
 * @param maxBytes larger files are {@code skipped_by_policy}
 * @since 0.1
 */
public record DigestPolicy(boolean compute, long maxBytes) {

    /** No digests. */
    public static final DigestPolicy NONE = new DigestPolicy(false, 0);

    /** Digests of every file. */
    public static final DigestPolicy ALL = new DigestPolicy(true, Long.MAX_VALUE);

    public DigestPolicy {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0 but was " + maxBytes);
        }
    }
}
