package dev.orket.core.sweep;

import dev.orket.api.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which directories a sweep may write into: a new or empty one, or an Orket output directory (one with
 * the {@value SweepEngine#OUTPUT_MARKER} marker); never a non-empty directory of someone else's files
 * (cleanup would then be let loose on them) and never a directory inside another sweep's output.
 *
 * @since 0.1
 */
public final class OutputDirectory {

    /** The manifest that makes an output directory hold a sweep. */
    public static final String MANIFEST = "sweep_manifest.json";

    /** Entries an output directory may hold before its sweep starts. */
    private static final Set<String> ORKET_ENTRIES = Set.of(SweepEngine.OUTPUT_MARKER, OutputLock.LOCK_FILE);

    private OutputDirectory() {}

    /**
     * Checks a directory for a new sweep: absent, empty, or an Orket output directory that holds no sweep
     * yet, and not inside another sweep's output. Reads only.
     *
     * @throws ConfigurationException naming the directory, what is wrong and what to do
     */
    public static void requireNew(Path dir) {
        requireUsable(dir);
        if (Files.exists(dir.resolve(MANIFEST))) {
            throw new ConfigurationException("Output directory " + dir + " already holds a sweep; pass --resume to"
                    + " continue it or choose another --out.");
        }
    }

    /**
     * Checks a directory for a resumed sweep: it must hold a sweep's manifest.
     *
     * @throws ConfigurationException naming the directory, what is wrong and what to do
     */
    public static void requireResumable(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new ConfigurationException("--resume needs --out naming an existing sweep directory, one holding "
                    + MANIFEST + "; " + dir + (Files.isDirectory(dir) ? " holds none." : " is not a directory."));
        }
        requireUsable(dir);
    }

    /**
     * Checks that a sweep may write into a directory: not a file, not a non-empty directory without the
     * marker, not inside another Orket output directory. Reads only.
     *
     * @throws ConfigurationException naming the directory, what is wrong and what to do
     */
    public static void requireUsable(Path dir) {
        Path enclosing = enclosingOutput(dir);
        if (enclosing != null) {
            throw new ConfigurationException("Output directory " + dir + " lies inside the Orket output directory "
                    + enclosing + " of another sweep; choose a directory outside it.");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("Output directory " + dir + " is a file, not a directory; choose"
                    + " another --out.");
        }
        if (!Files.exists(dir.resolve(SweepEngine.OUTPUT_MARKER)) && !onlyOrketEntries(dir)) {
            throw new ConfigurationException("Output directory " + dir + " is not empty and is not an Orket output"
                    + " directory (it has no " + SweepEngine.OUTPUT_MARKER + " marker); choose a new or empty directory,"
                    + " so Orket never mixes its files with yours or lets cleanup near them.");
        }
    }

    /**
     * Checks a directory as {@link #requireUsable} does, then creates it when needed and marks it as an Orket
     * output directory.
     *
     * @throws ConfigurationException naming the directory, what is wrong and what to do
     * @throws UncheckedIOException naming the directory and the cause when it cannot be created or marked
     */
    public static void claim(Path dir) {
        requireUsable(dir);
        try {
            Files.createDirectories(dir);
            Path marker = dir.resolve(SweepEngine.OUTPUT_MARKER);
            if (!Files.exists(marker)) {
                Files.writeString(marker, "orket sweep output\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output directory " + dir + ": " + IoCause.describe(e), e);
        }
    }

    /** The nearest ancestor of {@code dir} that is an Orket output directory, or null. */
    private static @Nullable Path enclosingOutput(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        for (Path parent = absolute.getParent(); parent != null; parent = parent.getParent()) {
            if (Files.isRegularFile(parent.resolve(SweepEngine.OUTPUT_MARKER))) {
                return parent;
            }
        }
        return null;
    }

    private static boolean onlyOrketEntries(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!ORKET_ENTRIES.contains(entry.getFileName().toString())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list output directory " + dir + ": " + IoCause.describe(e), e);
        }
    }
}
