package dev.orket.provider.ollama;

/**
 * The keys of {@link dev.orket.api.spi.ProviderConfig#settings()} the Ollama provider reads. Any other
 * key is refused with a {@link dev.orket.api.ConfigurationException} naming the known ones.
 *
 * @since 0.1
 */
public final class OllamaSettings {

    /**
     * {@code native} (default) or {@code openai}. {@code openai} is refused at creation: the {@code /v1}
     * endpoints return no server durations and use other sampling defaults, so they cannot be measured.
     */
    public static final String ENDPOINT = "endpoint";

    /**
     * {@code keep_alive} sent with every run: a number of seconds ({@code 300}, {@code -1} = forever) or a
     * Go duration ({@code 5m}, {@code 24h}). Absent: not sent (the server's default, 5 min).
     */
    public static final String KEEP_ALIVE = "keep_alive";

    /**
     * {@code true} (default) or {@code false}: send completion prompts with {@code "raw": true}, so the
     * prompt reaches the model without Ollama's template.
     */
    public static final String RAW = "raw";

    /** {@code think} sent with every run: {@code true}, {@code false}, {@code low}, {@code medium}, {@code high}, {@code max}. Absent: not sent. */
    public static final String THINK = "think";

    /** A system message put before the user message of chat runs. Absent: none. */
    public static final String SYSTEM_PROMPT = "system_prompt";

    /** Deadline in milliseconds for {@code /api/version}, {@code /api/tags}, {@code /api/show}, {@code /api/ps} and unloads (default 10000). */
    public static final String ADMIN_TIMEOUT_MS = "admin_timeout_ms";

    /**
     * {@code true} or {@code false} (default): after each completed run, ask {@code /api/ps} how much of the
     * model sits in VRAM and tag the run {@code VRAM_SPILL} with the fraction outside. Sweeps should turn it on;
     * it costs one admin request per run, bounded by {@code admin_timeout_ms}.
     */
    public static final String CHECK_VRAM_AFTER_RUN = "check_vram_after_run";

    private OllamaSettings() {}
}
