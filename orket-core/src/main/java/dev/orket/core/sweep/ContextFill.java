package dev.orket.core.sweep;

/**
 * The prompt of a context sweep's run: a deterministic filler that takes a fixed fraction of the context, then the
 * session prompt. The filler is the word {@code the} repeated, separated by single spaces: {@code the} is one token
 * in SentencePiece (Llama, Mistral) and byte-level BPE (GPT-2, Llama 3, Qwen) vocabularies alike, with or without
 * the leading space the tokenizer adds, so {@code n} words are {@code n} tokens (checked on the real llama-server's
 * {@code /tokenize} with tiny-random-llama: 256 words, 256 tokens). The prompt is
 * {@code "the the … the " + sessionPrompt}: {@code floor(fill × context)} filler tokens, then the session prompt's
 * own tokens and the server's BOS token ({@code docs/sweep.md#context-sweeps}).
 *
 * @since 0.1
 */
public final class ContextFill {

    /** The filler word: one token in every common LLM vocabulary. */
    public static final String FILLER_WORD = "the";

    private ContextFill() {}

    /** The filler's token count: {@code floor(fill × context)}. */
    public static int fillerTokens(int context, double fill) {
        if (context < 1) {
            throw new IllegalArgumentException("context must be >= 1 but was " + context);
        }
        if (!(fill >= 0 && fill < 1)) {
            throw new IllegalArgumentException("fill must be in [0, 1) but was " + fill);
        }
        return (int) Math.floor(fill * context);
    }

    /** The filled prompt: {@code fillerTokens(context, fill)} filler words and a space, then the session prompt. */
    public static String prompt(String sessionPrompt, int context, double fill) {
        int words = fillerTokens(context, fill);
        if (words == 0) {
            return sessionPrompt;
        }
        StringBuilder out = new StringBuilder(words * (FILLER_WORD.length() + 1) + sessionPrompt.length());
        for (int i = 0; i < words; i++) {
            out.append(FILLER_WORD).append(' ');
        }
        return out.append(sessionPrompt).toString();
    }
}
