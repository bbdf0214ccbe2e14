package dev.orket.core.sweep;

import dev.orket.api.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds and deletes the ephemeral outputs of Orket output directories. Dry-run by default: {@link #plan}
 * only lists. Ephemeral: GPU sample files under {@code sidecar/}, {@code warmup.jsonl}, server logs under
 * {@code server-logs/}, torn ledger lines ({@code *.torn-*}) and temporaries ({@code *.tmp}). Kept: ledgers
 * of canary and measured runs, manifest, summary, report. Never deletes outside the directory, never
 * follows a symbolic link (links are listed as skipped), refuses {@code /}, the home directory and any
 * directory without the {@value SweepEngine#OUTPUT_MARKER} marker.
 *
 * @since 0.1
 */
public final class OutputCleanup {

    /**
     * What a cleanup would do or did.
     *
     * @param root the directory cleaned
     * @param deletions files and directories to delete, deepest first
     * @param skippedLinks symbolic links found and left alone
     * @param bytes total size of the files to delete
     */
    public record Plan(Path root, List<Path> deletions, List<Path> skippedLinks, long bytes) {
        public Plan {
            deletions = List.copyOf(deletions);
            skippedLinks = List.copyOf(skippedLinks);
        }
    }

    private OutputCleanup() {}

    /**
     * Lists what {@link #apply} would delete; touches nothing.
     *
     * @throws ConfigurationException when the directory is refused, with the reason
     */
    public static Plan plan(Path directory) {
        Path root = guard(directory);
        List<Path> deletions = new ArrayList<>();
        List<Path> links = new ArrayList<>();
        long[] bytes = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isSymbolicLink()) {
                        links.add(file);
                    } else if (attrs.isRegularFile() && isEphemeral(root, file)) {
                        deletions.add(file);
                        bytes[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (!dir.equals(root) && (name.equals("sidecar") || name.equals("server-logs"))
                            && inSweepDirectory(root, dir)) {
                        deletions.add(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        deletions.sort(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Path::toString));
        return new Plan(root, deletions, links, bytes[0]);
    }

    /** Deletes what {@link #plan} lists, re-checking each path is inside the directory and not a link. */
    public static Plan apply(Path directory) {
        Plan plan = plan(directory);
        for (Path path : plan.deletions()) {
            if (!path.startsWith(plan.root()) || Files.isSymbolicLink(path)) {
                throw new IllegalStateException("refusing to delete " + path + " outside " + plan.root());
            }
            try {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    try (var entries = Files.list(path)) {
                        if (entries.findAny().isPresent()) {
                            continue;
                        }
                    }
                }
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }
        return plan;
    }

    private static Path guard(Path directory) {
        Path root;
        try {
            if (Files.isSymbolicLink(directory)) {
                throw new ConfigurationException("Refusing to clean " + directory + ": it is a symbolic link");
            }
            root = directory.toRealPath(LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new ConfigurationException("Refusing to clean " + directory + ": it does not exist");
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigurationException("Refusing to clean " + root + ": not a directory");
        }
        if (root.getParent() == null) {
            throw new ConfigurationException("Refusing to clean the file system root " + root);
        }
        String home = System.getProperty("user.home");
        if (home != null) {
            try {
                if (root.equals(Path.of(home).toRealPath())) {
                    throw new ConfigurationException("Refusing to clean the home directory " + root);
                }
            } catch (IOException e) {
                // No readable home directory: nothing to compare with.
            }
        }
        if (!Files.isRegularFile(root.resolve(SweepEngine.OUTPUT_MARKER), LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigurationException("Refusing to clean " + root + ": it is not an Orket output directory (no "
                    + SweepEngine.OUTPUT_MARKER + " marker)");
        }
        return root;
    }

    private static boolean inSweepDirectory(Path root, Path path) {
        Path dir = path.getParent();
        while (dir != null && dir.startsWith(root)) {
            if (Files.isRegularFile(dir.resolve(SweepEngine.OUTPUT_MARKER), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            dir = dir.getParent();
        }
        return false;
    }

    private static boolean isEphemeral(Path root, Path file) {
        if (!inSweepDirectory(root, file)) {
            return false;
        }
        String name = file.getFileName().toString();
        Path parent = file.getParent();
        String parentName = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        return parentName.equals("sidecar") || parentName.equals("server-logs") || name.equals("warmup.jsonl")
                || name.endsWith(".tmp") || name.contains(".torn-");
    }
}
