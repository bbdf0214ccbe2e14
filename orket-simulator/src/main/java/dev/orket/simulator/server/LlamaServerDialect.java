package dev.orket.simulator.server;

import static dev.orket.simulator.server.LlamaCppJson.JSON_UTF8;

import java.util.List;
import java.util.Map;

/**
 * What llama-server's two streaming APIs ({@code /completion} and {@code /v1/chat/completions}) share because one
 * server answers both: its family name, its admin endpoints and its response headers.
 */
abstract class LlamaServerDialect implements ServerDialect {

    @Override
    public final String server() {
        return "llamacpp";
    }

    @Override
    public final Dispatcher dispatcher(String model, boolean ready, Dispatcher generation) {
        return LlamaCppScripts.dispatcher(model, ready, generation);
    }

    @Override
    public final List<Map.Entry<String, String>> headers(boolean stream) {
        return stream
                ? DialectScripts.headers("Server", "llama.cpp", "Access-Control-Allow-Origin", "", "X-Accel-Buffering",
                        "no", "Content-Type", "text/event-stream")
                : DialectScripts.headers("Server", "llama.cpp", "Access-Control-Allow-Origin", "", "Content-Type",
                        JSON_UTF8);
    }

    @Override
    public final String toString() {
        return name();
    }
}
