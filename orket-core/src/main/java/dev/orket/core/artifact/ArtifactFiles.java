package dev.orket.core.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes whole artifact files so that a reader, or a sweep killed mid-write, never sees half of one:
 * the text goes to a {@code .tmp} sibling first, then replaces the file in one atomic move.
 *
 * @since 0.1
 */
public final class ArtifactFiles {

    private ArtifactFiles() {}

    /**
     * Replaces the file's content atomically.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void writeAtomically(Path file, String text) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
