package dev.orket.cli;

import dev.orket.core.inventory.DigestPolicy;
import dev.orket.core.inventory.GgufInventory;
import dev.orket.core.inventory.InventoryJson;
import java.nio.file.Path;
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
                + " estimate, digest status.")
final class InventoryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "The model root.")
    Path root;

    @Option(names = "--sha256", description = "Compute each file's SHA-256 (slow for large models).")
    boolean sha256;

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
        var inventory = sha256 ? GgufInventory.scan(root, DigestPolicy.ALL) : GgufInventory.scan(root);
        spec.commandLine().getOut().println(InventoryJson.toJson(inventory, executionLane, vramProfile));
        return ExitCodes.OK;
    }
}
