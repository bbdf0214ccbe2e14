package dev.orket.core.inventory;

import java.util.List;
import java.util.Objects;

/**
 * The GGUF files under a model root, sorted by path, and the files that could not be read.
 *
 * @param root the real path of the root that was scanned
 * @param models the readable GGUF files
 * @param problems the files refused or unreadable
 * @since 0.1
 */
public record Inventory(String root, List<ModelFile> models, List<InventoryProblem> problems) {

    public Inventory {
        Objects.requireNonNull(root, "root");
        models = List.copyOf(models);
        problems = List.copyOf(problems);
    }
}
