package dev.orket.core.inventory;

import java.util.Objects;

/**
 * A file under the inventory root that could not be listed, and why.
 *
 * @param relativePath the path relative to the root
 * @param reason a code: {@code malformed_header}, {@code truncated} (shorter than its header's tensor data),
 *     {@code symlink_escapes_root}, {@code unreadable}
 * @param message the detail, e.g. the {@link GgufFormatException} message
 * @since 0.1
 */
public record InventoryProblem(String relativePath, String reason, String message) {

    public InventoryProblem {
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
