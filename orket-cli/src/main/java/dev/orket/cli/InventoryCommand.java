package dev.orket.cli;

import dev.orket.api.ConfigurationException;
import dev.orket.core.inventory.DigestPolicy;
import dev.orket.core.inventory.DigestProgress;
import dev.orket.core.inventory.GgufInventory;
import dev.orket.core.inventory.InventoryJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket inventory DIR}: the GGUF files under a directory, as JSON.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "Read the GGUF headers under DIR (never outside it) and print the inventory as JSON:"
                + " architecture, quant tag, parameter count, context length, layers, heads, file size, VRAM"
                + " estimate, digest status. A file shorter than its header's tensor data is a 'truncated' problem.")
final class InventoryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "The model root.")
    Path root;

    @Option(names = "--sha256", description = "Compute each file's SHA-256 (slow for large models); progress is"
            + " printed to standard error.")
    boolean sha256;

    @Option(names = "--sha256-max-bytes", paramLabel = "SIZE", description = "With --sha256, skip files larger than"
            + " SIZE (bytes, or with a K, M, G or T suffix, powers of 1024); they show as skipped_by_policy.")
    String sha256MaxBytes;

    @Option(names = "--lane", paramLabel = "ci|lab", defaultValue = "lab",
            description = "The execution_lane the inventory is labelled with (default ${DEFAULT-VALUE}).")
    String lane;

    @Option(names = "--profile", paramLabel = "safe|balanced|stress", defaultValue = "balanced",
            description = "The vram_profile the inventory is labelled with (default ${DEFAULT-VALUE}).")
    String profile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        dev.orket.api.ExecutionLane executionLane = Labels.lane(lane);
        dev.orket.api.VramProfile vramProfile = Labels.profile(profile);
        if (sha256MaxBytes != null && !sha256) {
            throw new ConfigurationException("--sha256-max-bytes needs --sha256");
        }
        DigestPolicy policy = !sha256 ? DigestPolicy.NONE
                : new DigestPolicy(true, sha256MaxBytes == null ? Long.MAX_VALUE : size(sha256MaxBytes));
        var inventory = GgufInventory.scan(root, policy, new Progress(spec.commandLine().getErr()));
        spec.commandLine().getOut().println(InventoryJson.toJson(inventory, executionLane, vramProfile));
        return ExitCodes.OK;
    }

    /** Parses {@code 123}, {@code 512M}, {@code 20G}: bytes, powers of 1024. */
    static long size(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        int shift = 0;
        if (!t.isEmpty() && "KMGT".indexOf(t.charAt(t.length() - 1)) >= 0) {
            shift = 10 * (1 + "KMGT".indexOf(t.charAt(t.length() - 1)));
            t = t.substring(0, t.length() - 1);
        }
        try {
            long value = Long.parseLong(t);
            if (value < 0 || value > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("--sha256-max-bytes must be a size in bytes such as 1048576, 512M or 20G"
                    + " but was '" + text + "'");
        }
    }

    /** One line per file and per tenth of a file on standard error; rewritten in place on a terminal. */
    private static final class Progress implements DigestProgress {
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private int lastDecile = -1;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void digesting(String relativePath, long bytesDone, long bytesTotal) {
            int decile = bytesTotal == 0 ? 10 : (int) (10 * bytesDone / bytesTotal);
            if (!terminal && decile == lastDecile && bytesDone != 0) {
                return;
            }
            lastDecile = bytesDone == 0 ? -1 : decile;
            String line = String.format(Locale.ROOT, "sha256 %s: %3d%% of %,d bytes", relativePath,
                    bytesTotal == 0 ? 100 : 100 * bytesDone / bytesTotal, bytesTotal);
            if (terminal) {
                err.print("\r" + line + "\u001b[K");
                if (bytesDone == bytesTotal) {
                    err.println();
                }
            } else {
                err.println(line);
            }
            err.flush();
        }
    }
}
