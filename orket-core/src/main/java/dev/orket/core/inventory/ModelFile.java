package dev.orket.core.inventory;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One GGUF file of an inventory.
 *
 * @param relativePath the path relative to the inventory root, with {@code /} separators
 * @param fileSizeBytes the file size in bytes
 * @param header what the header says
 * @param digestStatus whether the sha256 is known
 * @param sha256 the lowercase hex sha256, present exactly when {@code digestStatus} is {@code computed}
 * @since 0.1
 */
public record ModelFile(
        String relativePath, long fileSizeBytes, GgufHeader header, DigestStatus digestStatus, @Nullable String sha256) {

    public ModelFile {
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(digestStatus, "digestStatus");
        if ((digestStatus == DigestStatus.COMPUTED) != (sha256 != null)) {
            throw new IllegalArgumentException("sha256 must be present exactly when the digest was computed");
        }
    }
}
