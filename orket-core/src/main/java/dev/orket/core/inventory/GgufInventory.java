package dev.orket.core.inventory;

import dev.orket.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Lists the GGUF files ({@code *.gguf}) under a model root. Never reads outside the root: the root
 * is resolved to its real path, directory links are not followed, and a file link is read only
 * when its real path lies inside the root (else it is listed as a problem). A file shorter than its
 * header's tensor data offset plus tensor bytes is listed as a {@code truncated} problem, not a model.
 *
 * @since 0.1
 */
public final class GgufInventory {

    /** How many bytes are hashed between two progress calls. */
    public static final long PROGRESS_BYTES = 64L << 20;

    private GgufInventory() {}

    /** The inventory of a root, without digests. */
    public static Inventory scan(Path root) {
        return scan(root, DigestPolicy.NONE);
    }

    /**
     * The inventory of a root.
     *
     * @throws ConfigurationException when the root is not a directory
     * @throws UncheckedIOException when the root cannot be walked
     */
    public static Inventory scan(Path root, DigestPolicy digests) {
        return scan(root, digests, DigestProgress.NONE);
    }

    /**
     * The inventory of a root, reporting how far each digest is.
     *
     * @throws ConfigurationException when the root is not a directory
     * @throws UncheckedIOException when the root cannot be walked
     */
    public static Inventory scan(Path root, DigestPolicy digests, DigestProgress progress) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new ConfigurationException("Model root " + root + " does not exist or cannot be resolved: "
                    + e.getMessage() + ". Pass an existing directory.", e);
        }
        if (!Files.isDirectory(realRoot)) {
            throw new ConfigurationException("Model root " + root + " is not a directory. Pass a directory.");
        }
        List<ModelFile> models = new ArrayList<>();
        List<InventoryProblem> problems = new ArrayList<>();
        try {
            Files.walkFileTree(realRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
                        return FileVisitResult.CONTINUE;
                    }
                    String relative = relative(realRoot, file);
                    Path target = file;
                    if (attributes.isSymbolicLink()) {
                        try {
                            target = file.toRealPath();
                        } catch (IOException e) {
                            problems.add(new InventoryProblem(relative, "unreadable", "broken link: " + e.getMessage()));
                            return FileVisitResult.CONTINUE;
                        }
                        if (!target.startsWith(realRoot)) {
                            problems.add(new InventoryProblem(relative, "symlink_escapes_root", "link to " + target
                                    + " lies outside the model root " + realRoot + "; refused"));
                            return FileVisitResult.CONTINUE;
                        }
                    }
                    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                        return FileVisitResult.CONTINUE;
                    }
                    try {
                        GgufHeader header = GgufReader.read(target);
                        long size = Files.size(target);
                        long needed = saturatingAdd(header.tensorDataOffset(), header.tensorDataBytes());
                        if (size < needed) {
                            problems.add(new InventoryProblem(relative, "truncated", "the file is " + size
                                    + " bytes but its header describes tensor data up to byte " + needed + " (offset "
                                    + header.tensorDataOffset() + " + " + header.tensorDataBytes() + " tensor bytes):"
                                    + " " + (needed - size) + " bytes are missing, e.g. an interrupted download;"
                                    + " download it again"));
                            return FileVisitResult.CONTINUE;
                        }
                        models.add(withDigest(relative, size, header, target, digests, progress));
                    } catch (GgufFormatException e) {
                        problems.add(new InventoryProblem(relative, "malformed_header", e.getMessage()));
                    } catch (IOException | UncheckedIOException e) {
                        problems.add(new InventoryProblem(relative, "unreadable", String.valueOf(e.getMessage())));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    problems.add(new InventoryProblem(relative(realRoot, file), "unreadable", String.valueOf(e.getMessage())));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk model root " + realRoot + ": " + e.getMessage(), e);
        }
        models.sort(Comparator.comparing(ModelFile::relativePath));
        problems.sort(Comparator.comparing(InventoryProblem::relativePath));
        return new Inventory(realRoot.toString(), models, problems);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static ModelFile withDigest(String relative, long size, GgufHeader header, Path file, DigestPolicy policy,
            DigestProgress progress) {
        if (!policy.compute()) {
            return new ModelFile(relative, size, header, DigestStatus.MISSING, null);
        }
        if (size > policy.maxBytes()) {
            return new ModelFile(relative, size, header, DigestStatus.SKIPPED_BY_POLICY, null);
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65_536];
            int read;
            long done = 0;
            long reported = 0;
            progress.digesting(relative, 0, size);
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
                done += read;
                if (done - reported >= PROGRESS_BYTES) {
                    reported = done;
                    progress.digesting(relative, done, size);
                }
            }
            if (done != reported) {
                // A file whose size is a multiple of PROGRESS_BYTES was reported whole in the loop already.
                progress.digesting(relative, done, size);
            }
            return new ModelFile(relative, size, header, DigestStatus.COMPUTED, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            return new ModelFile(relative, size, header, DigestStatus.FAILED, null);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every JVM", e);
        }
    }
}
