package dev.orket.api;

/**
 * Why the model stopped generating, in canonical terms.
 *
 * @since 0.1
 */
public enum FinishReason implements JsonNamed {
    /** The model emitted its end-of-sequence token (llama.cpp {@code eos}, OpenAI and Ollama {@code stop}). */
    STOP("stop"),
    /** A caller-supplied stop word matched (llama.cpp {@code word}). */
    STOP_SEQUENCE("stop_sequence"),
    /** The output token limit was reached (llama.cpp {@code limit}, OpenAI and Ollama {@code length}). */
    LENGTH("length"),
    /** The server reported a reason with no canonical equivalent. */
    OTHER("other"),
    /** A spelling a newer writer used that this reader does not know; the record keeps the raw spelling. */
    UNRECOGNIZED("unrecognized");

    private final String jsonName;

    FinishReason(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    public static FinishReason fromJson(String jsonName) {
        return JsonNamed.fromJson(FinishReason.class, jsonName);
    }
}
