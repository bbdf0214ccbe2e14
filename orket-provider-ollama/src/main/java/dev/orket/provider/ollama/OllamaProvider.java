package dev.orket.provider.ollama;

import dev.orket.api.Capability;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.FailureKind;
import dev.orket.api.Readiness;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.ServerIdentity;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.stream.AdminCallException;
import dev.orket.core.stream.AdminResponse;
import dev.orket.core.stream.HttpTransport;
import dev.orket.core.stream.ProviderTransport;
import dev.orket.provider.ollama.internal.AdminJson;
import dev.orket.provider.ollama.internal.ErrorBodies;
import dev.orket.provider.ollama.internal.ErrorClassifier;
import dev.orket.provider.ollama.internal.ModelNames;
import dev.orket.provider.ollama.internal.PromptMemory;
import dev.orket.provider.ollama.internal.RequestJson;
import dev.orket.provider.ollama.internal.ResponseProcessor;
import dev.orket.provider.ollama.internal.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs prompts on an Ollama server through its native endpoints and reports canonical events.
 *
 * <p>Raw to canonical (full table in {@code docs/providers/ollama.md}):
 *
 * <pre>
 * HTTP status line + headers               → ResponseStarted(status)
 * streaming line, done:false, non-empty response / message.content
 *                                          → ContentDelta(text, tokenCount 1)   (one token per line)
 * streaming line, only thinking            → ContentDelta("", 1)                (counts for TTFT, adds no text)
 * non-streaming object, done:true          → ResponseBody(response / message.content)
 * prompt_eval_count, eval_count            → ServerUsage(prompt, cached = null, output)
 * prompt_eval_duration, eval_duration, load_duration (ns)
 *                                          → ServerTimings(ms = ns / 1e6)  (read as ms when UNIT_ANOMALY)
 * done_reason stop | length | other        → Completed(STOP | LENGTH | OTHER), absent → Completed(null)
 * {"error":…} line in a 200 stream         → Failed(STREAM_ERROR)
 * end of body without done:true            → Failed(INCOMPLETE_RESPONSE)
 * </pre>
 *
 * Metrics are read only where they were sent: an absent field is reported as absent, never as zero.
 * Run quality: {@code UNIT_ANOMALY} (see {@code UnitCheck}), {@code PROMPT_TRUNCATED} and
 * {@code PROMPT_CACHE_HIT} (see {@code PromptMemory}: both compare with earlier runs of the same prompt
 * that this provider instance remembers), {@code PROMPT_TRUNCATED} with {@code CONTEXT_EXCEEDED}.
 * {@code COLD_MODEL_LOAD} is core's, from the reported load time.
 *
 * <p>The API key, when configured, is sent only in the {@code Authorization} header. Thread-safe: one
 * provider may run several runs at once.
 *
 * @since 0.1
 */
public final class OllamaProvider implements InferenceProvider {

    private static final Logger LOG = LoggerFactory.getLogger(OllamaProvider.class);

    /** The longest line (NDJSON object, or non-streaming body) accepted: 8 MiB. */
    static final int MAX_LINE_BYTES = HttpTransport.DEFAULT_MAX_FRAME_BYTES;

    private final ProviderConfig config;
    private final Settings settings;
    private final String base;
    private final PromptMemory memory = new PromptMemory();
    private final ProviderTransport transport;

    OllamaProvider(ProviderConfig config) {
        this(config, MAX_LINE_BYTES);
    }

    /**
     * Creates a provider with a custom line bound (for tests of the bound).
     *
     * @param maxLineBytes the longest accepted response line, in bytes
     */
    OllamaProvider(ProviderConfig config, int maxLineBytes) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Settings.parse(config.settings());
        this.transport = new ProviderTransport("Ollama", () -> {
            HttpTransport.Builder builder = HttpTransport.builder(config, "Ollama").threadLabel("ollama")
                    .maxFrameBytes(maxLineBytes);
            if (settings.adminTimeout() != null) {
                builder.adminTimeout(settings.adminTimeout());
            }
            return builder.build();
        });
        String url = config.baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Creates a provider; same as {@code new OllamaProviderFactory().create(config)}. */
    public static OllamaProvider create(ProviderConfig config) {
        return new OllamaProvider(config);
    }

    @Override
    public String id() {
        return OllamaProviderFactory.ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return OllamaProviderFactory.CAPABILITIES;
    }

    /**
     * Ollama takes every control per request, in {@code options}: {@code seed}, {@code temperature},
     * {@code num_thread} and {@code num_ctx} (the context size it reports in {@code /api/ps} decides).
     */
    @Override
    public java.util.Map<ExperimentalControl, ControlApplication> controlsFor(RunRequest request) {
        java.util.Map<ExperimentalControl, ControlApplication> controls = new java.util.EnumMap<>(
                ExperimentalControl.class);
        controls.put(ExperimentalControl.SEED, request.seed() == null ? ControlApplication.notApplicable("not requested")
                : ControlApplication.applied(request.seed(), "sent as options.seed"));
        controls.put(ExperimentalControl.TEMPERATURE, request.temperature() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.applied(request.temperature(), "sent as options.temperature"));
        controls.put(ExperimentalControl.THREADS, request.threads() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.applied(request.threads(), "sent as options.num_thread"));
        controls.put(ExperimentalControl.CONTEXT_SIZE, request.contextSize() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.applied(request.contextSize(), "sent as options.num_ctx"));
        return controls;
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        if (request.maxOutputTokens() != null && request.maxOutputTokens() == 0) {
            recorder.record(new WireEvent.Failed(FailureKind.INVALID_REQUEST, "maxOutputTokens 0 cannot be sent to"
                    + " Ollama: it drops num_predict 0 and generates up to 10 × num_ctx tokens; ask for at least 1 token",
                    null));
            return;
        }
        HttpTransport http = transport.forRun(recorder);
        if (http == null) {
            return;
        }
        String path = RequestJson.path(request.promptStyle());
        http.run(request, recorder, path, RequestJson.run(request, settings),
                request.stream() ? "application/x-ndjson" : "application/json",
                events -> new ResponseProcessor(request, events, memory, path));
    }

    /**
     * Ready when {@code GET /api/version} answers and the model is listed by {@code GET /api/tags};
     * otherwise blocked with {@code unreachable} or {@code model_not_found} (detail: {@code ollama pull <model>}).
     */
    @Override
    public Map<RunQualityReason, String> qualityAfterRun(RunRequest request) {
        if (!settings.checkVramAfterRun()) {
            return Map.of();
        }
        // Only /api/ps knows how much of the model sits in VRAM, and only while it is loaded: right after the run.
        return loadedModel(request.model())
                .flatMap(LoadedModel::vramSpillFlag)
                .map(flag -> Map.of(flag.reason(), flag.detail()))
                .orElse(Map.of());
    }

    @Override
    public void unloadModel(String model) {
        unload(model);
    }

    @Override
    public Readiness probe(String model) {
        String version;
        try {
            version = version();
        } catch (OllamaRequestException e) {
            return Readiness.blocked("unreachable", "Ollama at " + base + " did not answer GET /api/version: "
                    + e.getMessage());
        }
        List<String> models;
        try {
            models = listModels();
        } catch (OllamaRequestException e) {
            return Readiness.blocked("unreachable", "Ollama " + version + " at " + base
                    + " did not answer GET /api/tags: " + e.getMessage());
        }
        for (String name : models) {
            if (ModelNames.same(name, model)) {
                return Readiness.readyNow();
            }
        }
        return Readiness.blocked("model_not_found", "Model '" + model + "' is not on Ollama " + version + " at "
                + base + "; run `ollama pull " + model + "`");
    }

    /** The names of the models on the server ({@code GET /api/tags}), newest first. */
    @Override
    public List<String> listModels() {
        byte[] body = get("/api/tags", "");
        return parse("/api/tags", () -> AdminJson.tagNames(body));
    }

    /**
     * What Ollama serves for the model: build from {@code GET /api/version}; quant tag, family and parameter size from
     * {@code POST /api/show} ({@code details.*}); context size from {@code GET /api/ps} ({@code context_length}) when
     * the model is loaded. Ollama stores models as blobs, so there is no model file to name. Each part the server
     * cannot give stays null; this never throws.
     */
    @Override
    public ServerIdentity serverIdentity(String model) {
        String build = null;
        ModelFacts facts = null;
        Integer context = null;
        try {
            build = version();
        } catch (RuntimeException e) {
            LOG.debug("no version from {}: {}", config.baseUrl(), e.toString());
        }
        try {
            facts = showModel(model);
        } catch (RuntimeException e) {
            LOG.debug("no /api/show facts for {}: {}", model, e.toString());
        }
        try {
            context = loadedModel(model).map(LoadedModel::contextLength).orElse(null);
        } catch (RuntimeException e) {
            LOG.debug("no /api/ps entry for {}: {}", model, e.toString());
        }
        return new ServerIdentity(build, null, facts == null ? null : facts.quantizationLevel(),
                context == null || context <= 0 ? null : context, null, facts == null ? null : facts.family(),
                facts == null ? null : facts.parameterSize());
    }

    /**
     * The server's version ({@code GET /api/version}), e.g. {@code 0.33.0-rc2} ({@code 0.0.0} for source builds).
     *
     * @throws OllamaRequestException when the server cannot be asked
     */
    public String version() {
        byte[] body = get("/api/version", "");
        return parse("/api/version", () -> AdminJson.version(body));
    }

    /**
     * The model's facts ({@code POST /api/show}): quantization, parameter size, family, trained context.
     *
     * @throws OllamaRequestException of kind {@code MODEL_NOT_FOUND} when the server does not have it
     */
    public ModelFacts showModel(String model) {
        byte[] body = send("/api/show", RequestJson.show(model), model);
        return parse("/api/show", () -> AdminJson.modelFacts(model, body));
    }

    /** Every model loaded now ({@code GET /api/ps}). */
    public List<LoadedModel> loadedModels() {
        byte[] body = get("/api/ps", "");
        return parse("/api/ps", () -> AdminJson.loadedModels(body));
    }

    /**
     * The model as loaded now ({@code GET /api/ps}), or empty when it is not loaded. Call it right after a
     * run: {@link LoadedModel#vramSpillFraction()} and {@link LoadedModel#vramSpillFlag()} say whether part
     * of it ran outside VRAM, {@link LoadedModel#contextLength()} which {@code num_ctx} the server used.
     */
    public Optional<LoadedModel> loadedModel(String model) {
        for (LoadedModel loaded : loadedModels()) {
            if (ModelNames.same(loaded.name(), model)) {
                return Optional.of(loaded);
            }
        }
        return Optional.empty();
    }

    /**
     * Unloads the model ({@code POST /api/generate} with {@code keep_alive: 0}); call it between quants so the
     * next one loads into free memory and its first run starts cold.
     *
     * @throws OllamaRequestException of kind {@code MODEL_NOT_FOUND} when the server does not have it
     */
    public void unload(String model) {
        send("/api/generate", RequestJson.unload(model), model);
    }

    /**
     * Registers the prompt's token count as the caller counted it (e.g. with the model's tokenizer), so a
     * first run of the prompt is already checked for silent truncation.
     */
    public void expectPromptTokens(RunRequest request, int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("tokens must be >= 1 but was " + tokens);
        }
        memory.expect(request.model(), request.promptStyle(), request.prompt(), tokens);
    }

    /** Releases the HTTP client's connections and threads; the provider is unusable afterwards. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "OllamaProvider[" + config + "]";
    }

    private interface BodyParser<T> {
        T parse() throws IOException;
    }

    private static <T> T parse(String path, BodyParser<T> parser) {
        try {
            return parser.parse();
        } catch (IOException | RuntimeException e) {
            throw new OllamaRequestException(FailureKind.MALFORMED_RESPONSE, "the body of " + path
                    + " is not what Ollama sends: " + e.getMessage(), 200);
        }
    }

    private byte[] get(String path, String model) {
        return exchange(path, null, model);
    }

    private byte[] send(String path, byte[] body, String model) {
        return exchange(path, body, model);
    }

    /** One call outside a run, bounded as a whole by the admin deadline and the body cap. */
    private byte[] exchange(String path, byte @Nullable [] body, String model) {
        HttpTransport http = transport.forCall();
        AdminResponse response;
        try {
            response = body == null ? http.get(path) : http.post(path, body);
        } catch (AdminCallException e) {
            throw new OllamaRequestException(e.kind(), e.getMessage(), e.httpStatus());
        }
        byte[] bytes = response.body();
        if (response.success()) {
            return bytes;
        }
        ErrorClassifier.Classification classification = ErrorClassifier.classify(response.status(),
                response.contentType(), ErrorBodies.errorMessage(bytes, bytes.length),
                new String(bytes, StandardCharsets.UTF_8), model, path);
        throw new OllamaRequestException(classification.kind(), classification.message(), response.status());
    }
}
