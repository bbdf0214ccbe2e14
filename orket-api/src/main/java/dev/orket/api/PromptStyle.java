package dev.orket.api;

/**
 * Which of a server's generation endpoints a run uses.
 *
 * @since 0.1
 */
public enum PromptStyle implements JsonNamed {
    /** Raw completion: llama.cpp {@code /completion}, Ollama {@code /api/generate}. */
    COMPLETION("completion"),
    /** Chat messages: llama.cpp {@code /v1/chat/completions}, Ollama {@code /api/chat}. */
    CHAT("chat");

    private final String jsonName;

    PromptStyle(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static PromptStyle fromJson(String jsonName) {
        return JsonNamed.fromJson(PromptStyle.class, jsonName);
    }
}
