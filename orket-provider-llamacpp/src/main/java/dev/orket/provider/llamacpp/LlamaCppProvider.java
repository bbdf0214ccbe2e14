package dev.orket.provider.llamacpp;

import dev.orket.api.Capability;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.FailureKind;
import dev.orket.api.PromptStyle;
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
import dev.orket.provider.llamacpp.internal.ErrorClassifier;
import dev.orket.provider.llamacpp.internal.EventReader;
import dev.orket.provider.llamacpp.internal.InfoReader;
import dev.orket.provider.llamacpp.internal.ParsedEvent;
import dev.orket.provider.llamacpp.internal.RequestJson;
import dev.orket.provider.llamacpp.internal.ResponseMapper;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs prompts against one {@code llama-server}: {@code POST /completion} for
 * {@link dev.orket.api.PromptStyle#COMPLETION}, {@code POST /v1/chat/completions} (with
 * {@code stream_options.include_usage}) for {@link dev.orket.api.PromptStyle#CHAT}, streaming and
 * not, over HTTP/1.1. Reports canonical events only; the raw-to-canonical table is on
 * {@code ResponseMapper} and in {@code docs/providers/llamacpp.md}. Thread-safe: runs may execute
 * concurrently. The API key travels only in the {@code Authorization: Bearer} header.
 *
 * @since 0.1
 */
public final class LlamaCppProvider implements InferenceProvider {

    private static final Logger LOG = LoggerFactory.getLogger(LlamaCppProvider.class);
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.STREAMING,
            Capability.NON_STREAMING, Capability.SERVER_TIMINGS, Capability.TOKEN_COUNTS, Capability.MODEL_LISTING));

    private final ProviderConfig config;
    private final ProviderTransport transport;

    LlamaCppProvider(ProviderConfig config, String apiPrefix, int maxEventBytes, int maxBodyBytes) {
        this.config = config;
        this.transport = new ProviderTransport(LlamaCppProviderFactory.ID, () -> HttpTransport.builder(config,
                "llama-server").threadLabel("llamacpp").pathPrefix(apiPrefix).maxFrameBytes(maxEventBytes)
                .maxBodyBytes(maxBodyBytes).build());
    }

    static Set<Capability> declaredCapabilities() {
        return CAPABILITIES;
    }

    @Override
    public String id() {
        return LlamaCppProviderFactory.ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /**
     * Seed and temperature go in every request body; threads ({@code -t}) and the context size ({@code -c})
     * are llama-server start arguments that no request can set, so a request asking for them is told so (a
     * managed server started with them says otherwise, and the context size the server reports decides).
     */
    @Override
    public java.util.Map<ExperimentalControl, ControlApplication> controlsFor(RunRequest request) {
        java.util.Map<ExperimentalControl, ControlApplication> controls = new java.util.EnumMap<>(
                ExperimentalControl.class);
        controls.put(ExperimentalControl.SEED, request.seed() == null ? ControlApplication.notApplicable("not requested")
                : ControlApplication.applied(request.seed(), "sent as seed in the request body"));
        controls.put(ExperimentalControl.TEMPERATURE, request.temperature() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.applied(request.temperature(), "sent as temperature in the request body"));
        controls.put(ExperimentalControl.THREADS, request.threads() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.notApplied(request.threads(), "llama-server takes threads only at start (-t);"
                        + " a request cannot set them on a server that is already running"));
        controls.put(ExperimentalControl.CONTEXT_SIZE, request.contextSize() == null
                ? ControlApplication.notApplicable("not requested")
                : ControlApplication.notApplied(request.contextSize(), "llama-server takes the context size only at"
                        + " start (-c); a request cannot set it"));
        return controls;
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        HttpTransport http = transport.forRun(recorder);
        if (http == null) {
            return;
        }
        String path = RequestJson.path(request);
        boolean chat = request.promptStyle() == PromptStyle.CHAT;
        LOG.debug("run {}: POST {} stream={}", request.runId(), path, request.stream());
        http.run(request, recorder, path, RequestJson.body(request),
                request.stream() ? "text/event-stream" : "application/json",
                events -> new ResponseMapper(chat, request.stream(), events));
    }

    /**
     * Asks {@code GET /health} whether a run can start: ready on 200; blocked {@code model_loading}
     * on 503 "Loading model", {@code server_busy} on another 503, {@code unauthorized} on 401/403,
     * {@code unexpected_status} otherwise, and {@code unreachable} when nothing answers the whole
     * exchange within {@link ProviderConfig#adminTimeout()}. llama-server serves one model whatever
     * name a request carries, so {@code model} is not checked.
     */
    @Override
    public Readiness probe(String model) {
        AdminResponse answer;
        try {
            answer = get("/health");
        } catch (AdminCallException e) {
            return Readiness.blocked("unreachable", "llama-server did not answer GET /health: " + e.getMessage());
        }
        if (answer.status() == 200) {
            return Readiness.readyNow();
        }
        ParsedEvent error = errorOf(answer);
        String message = error == null ? null : error.errorMessage;
        String detail = "llama-server answered GET /health with HTTP " + answer.status()
                + (message == null ? "" : ": " + message);
        if (answer.status() == 503) {
            FailureKind kind = ErrorClassifier.classify(error == null ? null : error.errorType, message, 503);
            return Readiness.blocked(kind == FailureKind.MODEL_LOADING ? "model_loading" : "server_busy", detail);
        }
        if (answer.status() == 401 || answer.status() == 403) {
            return Readiness.blocked("unauthorized", detail);
        }
        return Readiness.blocked("unexpected_status", detail);
    }

    /** The model ids of {@code GET /v1/models} ({@code data[].id}), never null. */
    @Override
    public List<String> listModels() {
        byte[] body = query("/v1/models");
        try {
            return List.copyOf(InfoReader.modelIds(body));
        } catch (EventReader.MalformedException e) {
            throw new ServerUnavailableException(e.getMessage() + " from " + config.baseUrl() + "/v1/models", 200);
        }
    }

    /**
     * What the server says about itself in {@code GET /props}: build, model path, context size, ftype
     * and quant tag.
     *
     * @throws ServerUnavailableException when the server does not answer 200 with its props within the
     *     admin deadline and the body cap
     */
    public ServerProps props() {
        return propsAt("/props");
    }

    /**
     * What the server says about the model in {@code GET /props?model=...}: a router-mode server answers for that
     * model, a single-model server ignores the parameter and answers for the one it serves.
     *
     * @throws ServerUnavailableException when the server does not answer 200 with its props
     */
    public ServerProps props(String model) {
        return propsAt("/props?model=" + java.net.URLEncoder.encode(model, java.nio.charset.StandardCharsets.UTF_8));
    }

    private ServerProps propsAt(String target) {
        byte[] body = query(target);
        try {
            LlamaServerProps props = InfoReader.props(body);
            return ServerProps.of(props.build(), props.modelPath(), props.contextSize(), props.ftype(),
                    props.totalSlots());
        } catch (EventReader.MalformedException e) {
            throw new ServerUnavailableException(e.getMessage() + " from " + config.baseUrl() + target, 200);
        }
    }

    /**
     * What the llama-server serves, from {@code GET /props}: {@code build_info}, the base name of
     * {@code model_path}, the quant tag of {@code model_ftype} (else of the file name), {@code n_ctx} and
     * {@code total_slots}. A router-mode server is asked about {@code model}. A server that cannot answer gives
     * {@link ServerIdentity#unknown()}; this never throws.
     */
    @Override
    public ServerIdentity serverIdentity(String model) {
        ServerProps props;
        try {
            props = props(model);
        } catch (RuntimeException e) {
            LOG.debug("no /props from {}: {}", config.baseUrl(), e.toString());
            return ServerIdentity.unknown();
        }
        return new ServerIdentity(props.build(), ServerIdentity.baseName(props.modelPath()), props.quantTag(),
                props.contextSize(), props.totalSlots(), null, null);
    }

    @Override
    public void close() {
        transport.close();
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
            ParsedEvent error = errorOf(answer);
            String message = error == null ? null : error.errorMessage;
            throw new ServerUnavailableException("llama-server at " + config.baseUrl() + " answered GET " + path
                    + " with HTTP " + answer.status() + (message == null ? "" : ": " + message), answer.status());
        }
        return answer.body();
    }

    private AdminResponse get(String path) throws AdminCallException {
        return transport.forCall().get(path);
    }

    /** The error object of an answer's body, or null when it is not llama-server's error JSON. */
    private static @Nullable ParsedEvent errorOf(AdminResponse answer) {
        ParsedEvent e = new ParsedEvent();
        try {
            EventReader.read(answer.body(), 0, answer.body().length, e);
        } catch (EventReader.MalformedException ignored) {
            return null;
        }
        return e.isError ? e : null;
    }
}
