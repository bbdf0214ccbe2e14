package dev.orket.cli;

import dev.orket.api.ApiKey;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.Readiness;
import dev.orket.api.ServerIdentity;
import dev.orket.core.artifact.NullableFields;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket probe}: asks a server whether a model can run now.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Ask an inference server whether a model can run now: ready, or blocked with reasons; when"
                + " ready, what it serves (build, model file, quant, context size, slots)."
                + " Exit 0 when ready, 1 when blocked.")
final class ProbeCommand implements Callable<Integer> {

    @Option(names = "--provider", required = true, description = "Provider id: llamacpp, ollama or openai.")
    String providerId;

    @Option(names = "--url", required = true, description = "The server's base URL, e.g. http://127.0.0.1:8080.")
    URI url;

    @Option(names = "--model", required = true, description = "The model the server knows.")
    String model;

    @Option(names = "--api-key-env", description = "Environment variable holding an API key (sent only in a header).")
    String apiKeyEnv;

    @Option(names = "--json", description = "Print one JSON object instead of lines.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ApiKey key = SweepCommand.apiKey(apiKeyEnv, "--api-key-env");
        try (InferenceProvider provider = FactoryResolver.provider(providerId)
                .create(new ProviderConfig(url, key, Duration.ofSeconds(5), Map.of()))) {
            Readiness readiness = provider.probe(model);
            ServerIdentity identity = readiness.ready() ? provider.serverIdentity(model) : ServerIdentity.unknown();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(probeJson(readiness, identity));
                return readiness.ready() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
            }
            if (readiness.ready()) {
                out.println("ready: " + model + " on " + url);
                out.println("  build:        " + orUnknown(identity.build()));
                out.println("  model file:   " + orUnknown(identity.modelFile()));
                out.println("  served quant: " + orUnknown(identity.servedQuantTag()));
                out.println("  context size: " + orUnknown(identity.contextSize()));
                out.println("  slots:        " + orUnknown(identity.totalSlots()));
                return ExitCodes.OK;
            }
            out.println("blocked: " + readiness.reasons() + (readiness.detail().isEmpty() ? "" : " — " + readiness.detail()));
            return ExitCodes.CHECK_FAILED;
        }
    }

    private static String orUnknown(@Nullable Object value) {
        return value == null ? "(the server does not say)" : value.toString();
    }

    private String probeJson(Readiness readiness, ServerIdentity identity) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("provider", providerId);
            g.writeStringField("base_url", url.toString());
            g.writeStringField("model", model);
            g.writeBooleanField("ready", readiness.ready());
            g.writeArrayFieldStart("reasons");
            for (String reason : readiness.reasons()) {
                g.writeString(reason);
            }
            g.writeEndArray();
            g.writeStringField("detail", readiness.detail());
            NullableFields.string(g, "server_build", identity.build());
            NullableFields.string(g, "server_model_file", identity.modelFile());
            NullableFields.string(g, "served_quant_tag", identity.servedQuantTag());
            NullableFields.number(g, "server_context_size", identity.contextSize());
            NullableFields.number(g, "server_total_slots", identity.totalSlots());
            NullableFields.string(g, "server_model_family", identity.family());
            NullableFields.string(g, "server_parameter_size", identity.parameterSize());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
