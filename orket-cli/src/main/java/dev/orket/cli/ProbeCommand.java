package dev.orket.cli;

import dev.orket.api.ApiKey;
import dev.orket.api.Readiness;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket probe}: asks a server whether a model can run now.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Ask an inference server whether a model can run now: ready, or blocked with reasons."
                + " Exit 0 when ready, 1 when blocked.")
final class ProbeCommand implements Callable<Integer> {

    @Option(names = "--provider", required = true, description = "Provider id: llamacpp or ollama.")
    String providerId;

    @Option(names = "--url", required = true, description = "The server's base URL, e.g. http://127.0.0.1:8080.")
    URI url;

    @Option(names = "--model", required = true, description = "The model the server knows.")
    String model;

    @Option(names = "--api-key-env", description = "Environment variable holding an API key (sent only in a header).")
    String apiKeyEnv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ApiKey key = apiKeyEnv == null || System.getenv(apiKeyEnv) == null ? null : ApiKey.of(System.getenv(apiKeyEnv));
        try (InferenceProvider provider = FactoryResolver.provider(providerId)
                .create(new ProviderConfig(url, key, Duration.ofSeconds(5), Map.of()))) {
            Readiness readiness = provider.probe(model);
            PrintWriter out = spec.commandLine().getOut();
            if (readiness.ready()) {
                out.println("ready: " + model + " on " + url);
                return ExitCodes.OK;
            }
            out.println("blocked: " + readiness.reasons() + (readiness.detail().isEmpty() ? "" : " — " + readiness.detail()));
            return ExitCodes.CHECK_FAILED;
        }
    }
}
