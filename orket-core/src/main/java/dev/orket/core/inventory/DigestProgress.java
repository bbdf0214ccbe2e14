package dev.orket.core.inventory;

/**
 * Observes sha256 digests while an inventory computes them: hashing tens of GiB takes minutes, so a
 * caller can show how far along it is.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DigestProgress {

    /** A listener that ignores everything. */
    DigestProgress NONE = (relativePath, bytesDone, bytesTotal) -> { };

    /**
     * Part of a file was hashed: called with 0 when a file starts, every {@link GgufInventory#PROGRESS_BYTES}
     * and with {@code bytesDone == bytesTotal} when it ends; never twice with the same {@code bytesDone} for a
     * file (an empty file's one call is both its start and its end).
     *
     * @param relativePath the file, relative to the inventory root
     * @param bytesDone bytes hashed so far
     * @param bytesTotal the file's size in bytes
     */
    void digesting(String relativePath, long bytesDone, long bytesTotal);
}
