package dev.orket.simulator.server;

import static dev.orket.simulator.server.JsonFields.quote;

import dev.orket.api.FailureKind;
import java.util.List;

/**
 * Scripts for llama-server's utility routes and error responses, with the exact bodies of the real
 * captures in {@code fixtures/llamacpp/} (b10587).
 *
 * @since 0.1
 */
public final class LlamaCppScripts {

    /** {@code {"error":{"message":"Loading model","type":"unavailable_error","code":503}}}, every route while loading. */
    public static final String LOADING_BODY =
            "{\"error\":{\"message\":\"Loading model\",\"type\":\"unavailable_error\",\"code\":503}}";

    private LlamaCppScripts() {}

    private static Script json(int status, String body) {
        Script.Builder builder = Script.builder(status);
        builder.header("Server", "llama.cpp").header("Access-Control-Allow-Origin", "")
                .header("Content-Type", LlamaCppJson.JSON_UTF8);
        byte[] bytes = DialectScripts.utf8(body);
        return builder.head(java.time.Duration.ZERO, Await.NOTHING).data(java.time.Duration.ZERO, bytes, Await.NOTHING)
                .end(java.time.Duration.ZERO, Await.NOTHING).build();
    }

    /** {@code GET /health} once the model is loaded: 200 {@code {"status":"ok"}}. */
    public static Script health() {
        return json(200, "{\"status\":\"ok\"}").named("llamacpp-health");
    }

    /** Any route while the model loads: 503 {@link #LOADING_BODY}. */
    public static Script loading() {
        return json(503, LOADING_BODY).named("llamacpp-loading");
    }

    /** An unknown route or a known route with the wrong method: 404 {@code File Not Found}. */
    public static Script notFound() {
        return json(404, "{\"error\":{\"message\":\"File Not Found\",\"type\":\"not_found_error\",\"code\":404}}")
                .named("llamacpp-not-found");
    }

    /**
     * {@code GET /props} of a server running one model.
     *
     * @param modelAlias the model alias ({@code -m} path or {@code --alias})
     * @param ftype the human ftype string, e.g. {@code Q4_K - Medium}
     * @param contextSize the per-slot context size
     */
    public static Script props(String modelAlias, String ftype, int contextSize) {
        return json(200, "{\"default_generation_settings\":{\"params\":{\"seed\":4294967295,\"temperature\":0.800000011920929,"
                + "\"top_k\":40,\"top_p\":0.949999988079071,\"min_p\":0.05000000074505806,\"n_predict\":-1,\"stream\":false},"
                + "\"n_ctx\":" + contextSize + "},\"total_slots\":1,\"model_alias\":" + quote(modelAlias)
                + ",\"model_ftype\":" + quote(ftype) + ",\"model_path\":" + quote(modelAlias)
                + ",\"modalities\":{\"vision\":false,\"video\":false,\"audio\":false},\"endpoint_slots\":true,"
                + "\"endpoint_props\":false,\"endpoint_metrics\":true,\"bos_token\":\"<s>\",\"eos_token\":\"</s>\","
                + "\"build_info\":\"" + LlamaCppJson.BUILD + "\",\"is_sleeping\":false}").named("llamacpp-props");
    }

    /** {@code GET /v1/models} (and {@code /models}) listing the given models, each with its ftype. */
    public static Script models(List<String> modelIds, List<String> ftypes, int contextSize) {
        if (modelIds.size() != ftypes.size()) {
            throw new IllegalArgumentException("one ftype per model id");
        }
        StringBuilder models = new StringBuilder();
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < modelIds.size(); i++) {
            String id = quote(modelIds.get(i));
            if (i > 0) {
                models.append(',');
                data.append(',');
            }
            models.append("{\"name\":").append(id).append(",\"model\":").append(id)
                    .append(",\"modified_at\":\"\",\"size\":\"\",\"digest\":\"\",\"type\":\"model\",\"description\":\"\","
                            + "\"tags\":[\"\"],\"capabilities\":[\"completion\"],\"parameters\":\"\",\"details\":"
                            + "{\"parent_model\":\"\",\"format\":\"gguf\",\"family\":\"\",\"families\":[\"\"],"
                            + "\"parameter_size\":\"\",\"quantization_level\":\"\"}}");
            data.append("{\"id\":").append(id).append(",\"aliases\":[").append(id)
                    .append("],\"tags\":[],\"object\":\"model\",\"created\":1795562232,\"owned_by\":\"llamacpp\","
                            + "\"meta\":{\"vocab_type\":true,\"n_vocab\":1026,\"n_ctx\":").append(contextSize)
                    .append(",\"n_ctx_train\":").append(contextSize)
                    .append(",\"n_embd\":256,\"n_params\":2230528,\"size\":1394372,\"ftype\":")
                    .append(quote(ftypes.get(i))).append("}}");
        }
        return json(200, "{\"models\":[" + models + "],\"object\":\"list\",\"data\":[" + data + "]}")
                .named("llamacpp-models");
    }

    /** {@code GET /v1/models} for one model of type {@code Q4_K - Medium} with a 512-token context. */
    public static Script models(String modelId) {
        return models(List.of(modelId), List.of("Q4_K - Medium"), 512);
    }

    /**
     * An error response with the body the real server sends for the status: 400 invalid parameter,
     * 404 not found, 500 malformed JSON (llama-server's parse error is a 500), 503 loading model; any
     * other status gets a {@code server_error} body.
     */
    public static Script errorScript(int status) {
        ServerDialect.HttpError error = error(status);
        return json(error.status(), error.body()).named("llamacpp-error-" + status);
    }

    static ServerDialect.HttpError error(int status) {
        switch (status) {
            case 400:
                return new ServerDialect.HttpError(400, LlamaCppJson.JSON_UTF8, LlamaCppJson.error(400,
                        "Field 'n_predict': Value must be between -1 <= value <= 2147483647, but got -5",
                        "invalid_request_error"), FailureKind.INVALID_REQUEST);
            case 404:
                return new ServerDialect.HttpError(404, LlamaCppJson.JSON_UTF8,
                        "{\"error\":{\"message\":\"File Not Found\",\"type\":\"not_found_error\",\"code\":404}}",
                        FailureKind.NOT_FOUND);
            case 500:
                return new ServerDialect.HttpError(500, LlamaCppJson.JSON_UTF8, LlamaCppJson.error(500,
                        "[json.exception.parse_error.101] parse error at line 2, column 1: syntax error while parsing"
                                + " object - unexpected end of input; expected '}'", "server_error"),
                        FailureKind.SERVER_ERROR);
            case 503:
                return new ServerDialect.HttpError(503, LlamaCppJson.JSON_UTF8, LOADING_BODY, FailureKind.MODEL_LOADING);
            default:
                return new ServerDialect.HttpError(status, LlamaCppJson.JSON_UTF8,
                        LlamaCppJson.error(status, "scripted error", "server_error"), FailureKind.HTTP_ERROR);
        }
    }

    /**
     * Routes llama-server's utility paths and sends everything else to {@code generation}: {@code /health},
     * {@code /v1/health}, {@code /props}, {@code /v1/models}, {@code /models}; every path 503 {@code Loading model}
     * when not ready.
     */
    static Dispatcher dispatcher(String model, boolean ready, Dispatcher generation) {
        java.util.Objects.requireNonNull(model, "model");
        java.util.Objects.requireNonNull(generation, "generation");
        return request -> {
            if (!ready) {
                return loading();
            }
            switch (request.path()) {
                case "/health":
                case "/v1/health":
                    return health();
                case "/props":
                    return props(model, "Q4_K - Medium", 512);
                case "/models":
                case "/v1/models":
                    return models(model);
                default:
                    return generation.dispatch(request);
            }
        };
    }
}
