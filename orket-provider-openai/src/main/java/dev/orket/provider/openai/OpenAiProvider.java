package dev.orket.provider.openai;

import dev.orket.api.Capability;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.FailureKind;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.ServerIdentity;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.RunRecorder;
import dev.orket.core.stream.AdminCallException;
import dev.orket.core.stream.AdminResponse;
import dev.orket.core.stream.HttpTransport;
import dev.orket.core.stream.LlamaServerProps;
import dev.orket.core.stream.ProviderTransport;
import dev.orket.provider.openai.internal.ChunkReader;
import dev.orket.provider.openai.internal.ErrorClassifier;
import dev.orket.provider.openai.internal.InfoReader;
import dev.orket.provider.openai.internal.ParsedChunk;
import dev.orket.provider.openai.internal.RequestJson;
import dev.orket.provider.openai.internal.ResponseMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs prompts against one OpenAI-compatible server (vLLM, SGLang, TGI, LM Studio, llama.cpp's {@code llama-server}):
 * {@code POST /v1/completions} for {@link dev.orket.api.PromptStyle#COMPLETION}, {@code POST /v1/chat/completions}
 * for {@link dev.orket.api.PromptStyle#CHAT}, streaming (with {@code stream_options.include_usage}) and not, over the
 * core's {@link HttpTransport}. Reports canonical events only; the raw-to-canonical table is on
 * {@code ResponseMapper} and in {@code docs/providers/openai.md}. Thread-safe: runs may execute concurrently. The API
 * key travels only in the {@code Authorization: Bearer} header.
 *
 * <p>Server timings are not a declared capability: the OpenAI API has none. The provider reports them where the server
 * adds them (llama-server's {@code timings}, vLLM's {@code metrics} with {@code --enable-per-request-metrics}); a run
 * without them is {@code TIMING_UNAVAILABLE} with {@code MISSING_TOKEN_TIMINGS} saying why.
 *
 * @since 0.2
 */
public final class OpenAiProvider implements InferenceProvider {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiProvider.class);
    private static final String SERVER = "the OpenAI-compatible server";
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.STREAMING,
            Capability.NON_STREAMING, Capability.TOKEN_COUNTS, Capability.MODEL_LISTING));

    private final ProviderConfig config;
    private final String apiPrefix;
    private final RequestJson.ColdCache coldCache;
    private final ProviderTransport transport;

    OpenAiProvider(ProviderConfig config, String apiPrefix, int maxEventBytes, int maxBodyBytes,
            RequestJson.ColdCache coldCache) {
        this.config = config;
        this.apiPrefix = apiPrefix;
        this.coldCache = coldCache;
        this.transport = new ProviderTransport(OpenAiProviderFactory.ID, () -> HttpTransport.builder(config, SERVER)
                .threadLabel("openai").maxFrameBytes(maxEventBytes).maxBodyBytes(maxBodyBytes).build());
    }

    static Set<Capability> declaredCapabilities() {
        return CAPABILITIES;
    }

    @Override
    public String id() {
        return OpenAiProviderFactory.ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /**
     * Seed and temperature go in every request body; the OpenAI API has no thread count and no context size per
     * request (they are start settings of the server: llama-server's {@code -t} and {@code -c}, vLLM's
     * {@code --max-model-len}), so a request asking for them is told so; the context size the server reports
     * decides.
     */
    @Override
    public Map<ExperimentalControl, ControlApplication> controlsFor(RunRequest request) {
        Map<ExperimentalControl, ControlApplication> controls = new EnumMap<>(ExperimentalControl.class);
        controls.put(ExperimentalControl.SEED, request.seed() == null ? ControlApplication.notApplicable("not requested")
                : ControlApplication.applied(request.seed(), "sent as seed in the request body"));
        controls.put(ExperimentalControl.TEMPERATURE, request.temperature() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.applied(request.temperature(), "sent as temperature in the request body"));
        controls.put(ExperimentalControl.THREADS, request.threads() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.notApplied(request.threads(), "the OpenAI API has no thread count per request;"
                        + " set it where the server starts (llama-server -t)"));
        controls.put(ExperimentalControl.CONTEXT_SIZE, request.contextSize() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.notApplied(request.contextSize(), "the OpenAI API has no context size per"
                        + " request; it is the server's start setting (llama-server -c, vLLM --max-model-len)"));
        return controls;
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        HttpTransport http = transport.forRun(recorder);
        if (http == null) {
            return;
        }
        String path = RequestJson.path(apiPrefix, request);
        LOG.debug("run {}: POST {} stream={}", request.runId(), path, request.stream());
        http.run(request, recorder, path, RequestJson.body(request, coldCache),
                request.stream() ? "text/event-stream" : "application/json",
                events -> new ResponseMapper(request.stream(), SERVER, events));
    }

    /**
     * Asks whether a run of the model can start: {@code GET /health} where the server has it (a 404, 405 or 501 says
     * it has not: LM Studio), then {@code GET /v1/models}. Ready when the model is listed (by id, or by one of
     * llama-server's aliases), or when the list is llama-server's one model (it serves it whatever name a request
     * carries). Blocked {@code model_loading} on a 503 saying the model loads, {@code server_busy} on another 503,
     * {@code unauthorized} on 401/403, {@code model_not_found} when the model is not listed,
     * {@code unexpected_status} or {@code unexpected_response} otherwise, and {@code unreachable} when nothing answers
     * a call within {@link ProviderConfig#adminTimeout()}. Never throws.
     */
    @Override
    public Readiness probe(String model) {
        AdminResponse health;
        try {
            health = get("/health");
        } catch (AdminCallException e) {
            return unanswered("/health", e);
        }
        int status = health.status();
        if (status != 200 && status != 404 && status != 405 && status != 501) {
            return blockedBy("/health", health);
        }
        String modelsPath = apiPrefix + "/models";
        AdminResponse answer;
        try {
            answer = get(modelsPath);
        } catch (AdminCallException e) {
            return unanswered(modelsPath, e);
        }
        if (answer.status() != 200) {
            return blockedBy(modelsPath, answer);
        }
        List<InfoReader.Model> models;
        try {
            models = InfoReader.models(answer.body());
        } catch (ChunkReader.MalformedException e) {
            return Readiness.blocked("unexpected_response", SERVER + " answered GET " + modelsPath + " at "
                    + config.baseUrl() + " with " + e.getMessage());
        }
        for (InfoReader.Model listed : models) {
            if (listed.answersTo(model)) {
                return Readiness.readyNow();
            }
        }
        if (models.size() == 1 && models.get(0).fromLlamaServer()) {
            return Readiness.readyNow();
        }
        List<String> ids = new ArrayList<>();
        models.forEach(listed -> ids.add(listed.id()));
        return Readiness.blocked("model_not_found", "model '" + model + "' is not among the models GET " + modelsPath
                + " at " + config.baseUrl() + " lists: " + ids + "; ask for one of those ids");
    }

    private Readiness unanswered(String path, AdminCallException e) {
        return Readiness.blocked(e.kind() == FailureKind.RESPONSE_TOO_LARGE ? "unexpected_response" : "unreachable",
                SERVER + " did not answer GET " + path + ": " + e.getMessage());
    }

    private Readiness blockedBy(String path, AdminResponse answer) {
        ParsedChunk error = errorOf(answer);
        String message = error == null ? null : error.errorMessage;
        String detail = SERVER + " at " + config.baseUrl() + " answered GET " + path + " with HTTP " + answer.status()
                + (message == null ? "" : ": " + message);
        int status = answer.status();
        if (status == 503) {
            FailureKind kind = ErrorClassifier.classify(error == null ? null : error.errorType,
                    error == null ? null : error.errorCode, message, 503);
            return Readiness.blocked(kind == FailureKind.MODEL_LOADING ? "model_loading" : "server_busy", detail);
        }
        if (status == 401 || status == 403) {
            return Readiness.blocked("unauthorized", detail);
        }
        return Readiness.blocked("unexpected_status", detail);
    }

    /**
     * The model ids of {@code GET /v1/models} ({@code data[].id}), never null.
     *
     * @throws ServerUnavailableException when the server does not answer 200 with a model list within the admin
     *     deadline and the body cap, naming the endpoint
     */
    @Override
    public List<String> listModels() {
        String path = apiPrefix + "/models";
        byte[] body = query(path);
        try {
            List<String> ids = new ArrayList<>();
            InfoReader.models(body).forEach(listed -> ids.add(listed.id()));
            return List.copyOf(ids);
        } catch (ChunkReader.MalformedException e) {
            throw new ServerUnavailableException(SERVER + " at " + config.baseUrl() + " answered GET " + path
                    + " with " + e.getMessage(), 200);
        }
    }

    /**
     * What the server says it serves, from {@code GET /v1/models} (the model's entry, or the only one: vLLM's
     * {@code max_model_len} or llama-server's {@code meta.n_ctx} → context size, vLLM's {@code root} or a llama-server
     * id that is a {@code .gguf} path → model file base name), then llama-server's {@code GET /props}
     * ({@code build_info}, {@code model_path}, {@code n_ctx}, {@code total_slots}; asked with {@code ?model=}, which a
     * router-mode server answers for that model and a single-model one ignores) when the list is llama-server's, or
     * {@code GET /version} (vLLM's {@code version} → build) otherwise. The OpenAI API names no quantization, so the
     * served quant tag is null. A server that cannot answer gives what it did say, or
     * {@link ServerIdentity#unknown()}; this never throws.
     */
    @Override
    public ServerIdentity serverIdentity(String model) {
        String build = null;
        String modelFile = null;
        Integer contextSize = null;
        Integer totalSlots = null;
        InfoReader.Model entry = null;
        List<InfoReader.Model> models = List.of();
        try {
            models = InfoReader.models(query(apiPrefix + "/models"));
        } catch (RuntimeException | ChunkReader.MalformedException e) {
            LOG.debug("no model list from {}: {}", config.baseUrl(), e.toString());
        }
        for (InfoReader.Model listed : models) {
            if (listed.answersTo(model)) {
                entry = listed;
                break;
            }
        }
        if (entry == null && models.size() == 1) {
            entry = models.get(0);
        }
        if (entry != null) {
            contextSize = entry.contextSize();
            if (entry.root() != null) {
                modelFile = ServerIdentity.baseName(entry.root());
            } else if (entry.id().endsWith(".gguf")) {
                modelFile = ServerIdentity.baseName(entry.id());
            }
        }
        boolean llamaServer = !models.isEmpty() && models.get(0).fromLlamaServer();
        try {
            if (llamaServer) {
                // A router-mode llama-server answers for the named model; a single-model one ignores the parameter.
                LlamaServerProps props = InfoReader.props(query("/props?model="
                        + URLEncoder.encode(model, StandardCharsets.UTF_8)));
                build = props.build();
                modelFile = props.modelPath() == null ? modelFile : ServerIdentity.baseName(props.modelPath());
                contextSize = props.contextSize() == null ? contextSize : props.contextSize();
                totalSlots = props.totalSlots();
            } else if (!models.isEmpty()) {
                build = InfoReader.version(query("/version"));
            }
        } catch (RuntimeException | ChunkReader.MalformedException e) {
            LOG.debug("no {} from {}: {}", llamaServer ? "/props" : "/version", config.baseUrl(), e.toString());
        }
        return new ServerIdentity(build, modelFile, null, contextSize, totalSlots, null, null);
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "OpenAiProvider[" + config.baseUrl() + apiPrefix + "]";
    }

    private byte[] query(String path) {
        AdminResponse answer;
        try {
            answer = get(path);
        } catch (AdminCallException e) {
            throw new ServerUnavailableException(e.getMessage() + ". Start the server or check the base URL.",
                    e.httpStatus());
        }
        if (answer.status() != 200) {
            ParsedChunk error = errorOf(answer);
            String message = error == null ? null : error.errorMessage;
            throw new ServerUnavailableException(SERVER + " at " + config.baseUrl() + " answered GET " + path
                    + " with HTTP " + answer.status() + (message == null ? "" : ": " + message), answer.status());
        }
        return answer.body();
    }

    private AdminResponse get(String path) throws AdminCallException {
        return transport.forCall().get(path);
    }

    /** The error object of an answer's body, or null when it carries none. */
    private static @Nullable ParsedChunk errorOf(AdminResponse answer) {
        ParsedChunk chunk = new ParsedChunk();
        try {
            ChunkReader.read(answer.body(), 0, answer.body().length, chunk);
        } catch (ChunkReader.MalformedException ignored) {
            return null;
        }
        return chunk.isError ? chunk : null;
    }
}
