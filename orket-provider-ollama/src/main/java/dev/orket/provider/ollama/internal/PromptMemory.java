package dev.orket.provider.ollama.internal;

import dev.orket.api.PromptStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the provider remembers about each (model, style, prompt) it ran, to detect two things
 * Ollama never reports:
 *
 * <ul>
 *   <li><b>Truncation.</b> Ollama cuts an over-long prompt silently (to about {@code num_ctx/2} since
 *       v0.30, to {@code num_ctx} before) and {@code prompt_eval_count} is the cut length. A run is
 *       {@code PROMPT_TRUNCATED} when its {@code prompt_eval_count} is lower than the largest count seen
 *       for the same prompt on an earlier run or than an expected count the caller registered, or
 *       when it reaches the requested {@code num_ctx} (an untruncated prompt has at most
 *       {@code num_ctx − 1} tokens).
 *   <li><b>KV-cache hits.</b> Since v0.30 {@code prompt_eval_count} includes cached tokens but
 *       {@code prompt_eval_duration} covers only the evaluated ones. A run is {@code PROMPT_CACHE_HIT}
 *       when, for the same prompt and the same count, its {@code prompt_eval_duration} is under half the
 *       longest one seen before (the reference, taken as the uncached evaluation).
 * </ul>
 *
 * Bounded (least recently used entries are dropped); thread-safe.
 */
public final class PromptMemory {

    /** A cache hit makes the prompt time shorter than this fraction of the uncached reference. */
    public static final double CACHE_HIT_RATIO = 0.5;

    private static final int CAPACITY = 4096;

    private record Key(String model, PromptStyle style, String prompt) {}

    private static final class Entry {
        int expectedCount;
        int maxCount;
        long referenceDurationNanos;
    }

    /** A quality finding with its detail. */
    public record Finding(boolean truncated, @Nullable String truncationDetail, boolean cacheHit,
            @Nullable String cacheDetail) {}

    private final Map<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Registers the prompt's token count as counted by the caller (e.g. with the model's tokenizer). */
    public synchronized void expect(String model, PromptStyle style, String prompt, int tokens) {
        entries.computeIfAbsent(new Key(ModelNames.normalize(model), style, prompt), k -> new Entry()).expectedCount =
                tokens;
    }

    /**
     * Checks one run's prompt numbers against what is remembered, then remembers them.
     *
     * @param promptTokens {@code prompt_eval_count}
     * @param promptNanos {@code prompt_eval_duration} when present and trusted, else null
     * @param contextSize the requested {@code num_ctx}, or null
     */
    public synchronized Finding observe(String model, PromptStyle style, String prompt, long promptTokens,
            @Nullable Long promptNanos, @Nullable Integer contextSize) {
        Entry entry = entries.computeIfAbsent(new Key(ModelNames.normalize(model), style, prompt), k -> new Entry());
        List<String> truncation = new ArrayList<>(1);
        int reference = Math.max(entry.expectedCount, entry.maxCount);
        if (promptTokens < reference) {
            truncation.add("prompt_eval_count " + promptTokens + " < " + reference + " tokens "
                    + (entry.expectedCount >= entry.maxCount ? "expected" : "counted on an earlier run")
                    + " for the same prompt: Ollama truncated the prompt silently"
                    + (contextSize == null ? "" : " (num_ctx " + contextSize + ")"));
        } else if (contextSize != null && promptTokens >= contextSize) {
            truncation.add("prompt_eval_count " + promptTokens + " reached num_ctx " + contextSize
                    + ": the prompt was cut to the context");
        }
        String cacheDetail = null;
        if (promptNanos != null && promptTokens == entry.maxCount && entry.referenceDurationNanos > 0
                && promptNanos < entry.referenceDurationNanos * CACHE_HIT_RATIO) {
            cacheDetail = "prompt_eval_duration " + promptNanos / 1e6 + " ms for " + promptTokens + " tokens is under "
                    + (int) (CACHE_HIT_RATIO * 100) + "% of the " + entry.referenceDurationNanos / 1e6
                    + " ms measured for the same prompt earlier: tokens came from the KV cache (Ollama counts them in"
                    + " prompt_eval_count but not in prompt_eval_duration)";
        }
        if (promptTokens > entry.maxCount) {
            entry.maxCount = (int) Math.min(Integer.MAX_VALUE, promptTokens);
            entry.referenceDurationNanos = promptNanos == null ? 0 : promptNanos;
        } else if (promptTokens == entry.maxCount && promptNanos != null && promptNanos > entry.referenceDurationNanos) {
            entry.referenceDurationNanos = promptNanos;
        }
        return new Finding(!truncation.isEmpty(), truncation.isEmpty() ? null : truncation.get(0), cacheDetail != null,
                cacheDetail);
    }
}
