package dev.orket.cli;

import dev.orket.api.spi.GpuSidecarFactory;
import dev.orket.api.spi.ProviderFactory;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket providers}: the providers and sidecars found on the class path.
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "List the inference providers and GPU sidecars found on the class path.")
final class ProvidersCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        TreeMap<String, String> providers = new TreeMap<>();
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class)) {
            providers.put(factory.id(), "capabilities " + factory.capabilities().stream()
                    .map(c -> c.jsonName()).sorted().toList() + ", spi " + factory.spiVersion() + ", "
                    + factory.getClass().getName());
        }
        TreeMap<String, String> sidecars = new TreeMap<>();
        for (GpuSidecarFactory factory : ServiceLoader.load(GpuSidecarFactory.class)) {
            sidecars.put(factory.id(), "spi " + factory.spiVersion() + ", " + factory.getClass().getName());
        }
        out.println("providers:");
        providers.forEach((id, detail) -> out.println("  " + id + "  (" + detail + ")"));
        if (providers.isEmpty()) {
            out.println("  (none: add orket-provider-llamacpp, orket-provider-ollama or orket-provider-openai to the class path)");
        }
        out.println("sidecars:");
        sidecars.forEach((id, detail) -> out.println("  " + id + "  (" + detail + ")"));
        if (sidecars.isEmpty()) {
            out.println("  (none)");
        }
    }
}
