package dev.orket.provider.ollama.internal;

import dev.orket.api.ConfigurationException;
import dev.orket.provider.ollama.OllamaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The validated provider settings ({@link OllamaSettings} documents each key).
 *
 * @param keepAlive the {@code keep_alive} value to send: a number of seconds or a Go duration, or null
 * @param keepAliveIsNumber whether {@code keepAlive} is sent as a JSON number
 * @param raw whether completion prompts are sent with {@code "raw": true}
 * @param think the {@code think} value to send ({@code true}, {@code false} or a level), or null
 * @param systemPrompt a system message for chat runs, or null
 * @param adminTimeout the {@code admin_timeout_ms} setting: the deadline on the whole exchange of {@code /api/show},
 *     {@code /api/ps}, {@code /api/tags}, {@code /api/version} and unloads, or null for
 *     {@link dev.orket.api.spi.ProviderConfig#adminTimeout()}
 * @param checkVramAfterRun whether each completed run is followed by an {@code /api/ps} query for VRAM spill
 */
public record Settings(@Nullable String keepAlive, boolean keepAliveIsNumber, boolean raw, @Nullable String think,
        @Nullable String systemPrompt, @Nullable Duration adminTimeout, boolean checkVramAfterRun) {

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern GO_DURATION = Pattern.compile("-?([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");
    private static final Set<String> KNOWN = Set.of(OllamaSettings.ENDPOINT, OllamaSettings.KEEP_ALIVE,
            OllamaSettings.RAW, OllamaSettings.THINK, OllamaSettings.SYSTEM_PROMPT, OllamaSettings.ADMIN_TIMEOUT_MS,
            OllamaSettings.CHECK_VRAM_AFTER_RUN);

    /**
     * Validates settings.
     *
     * @throws ConfigurationException naming the key, the value and what was expected
     */
    public static Settings parse(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new ConfigurationException("Unknown Ollama provider setting '" + key + "'; known settings: "
                        + new TreeSet<>(KNOWN) + ". See docs/providers/ollama.md.");
            }
        }
        String endpoint = settings.getOrDefault(OllamaSettings.ENDPOINT, "native");
        if ("openai".equals(endpoint)) {
            throw new ConfigurationException("Setting endpoint=openai is refused: Ollama's OpenAI-compatible /v1"
                    + " endpoints return no server durations and use other sampling defaults (temperature 1.0,"
                    + " top_p 1.0, no num_ctx or keep_alive), so runs through them cannot be measured. Remove the"
                    + " setting or set endpoint=native.");
        }
        if (!"native".equals(endpoint)) {
            throw new ConfigurationException("Setting endpoint='" + endpoint + "' is not one of [native, openai]"
                    + " (only native can be measured).");
        }
        String keepAlive = settings.get(OllamaSettings.KEEP_ALIVE);
        boolean keepAliveIsNumber = false;
        if (keepAlive != null) {
            keepAlive = keepAlive.strip();
            keepAliveIsNumber = NUMBER.matcher(keepAlive).matches();
            if (!keepAliveIsNumber && !GO_DURATION.matcher(keepAlive).matches()) {
                throw new ConfigurationException("Setting keep_alive='" + keepAlive + "' is neither a number of"
                        + " seconds nor a Go duration; use e.g. 300, 5m, 24h or -1 (forever).");
            }
        }
        boolean raw = parseBoolean(settings, OllamaSettings.RAW, true);
        String think = settings.get(OllamaSettings.THINK);
        if (think != null && !Set.of("true", "false", "low", "medium", "high", "max").contains(think)) {
            throw new ConfigurationException("Setting think='" + think
                    + "' is not one of [true, false, low, medium, high, max].");
        }
        String system = settings.get(OllamaSettings.SYSTEM_PROMPT);
        Duration adminTimeout = null;
        String timeout = settings.get(OllamaSettings.ADMIN_TIMEOUT_MS);
        if (timeout != null) {
            long millis;
            try {
                millis = Long.parseLong(timeout.strip());
            } catch (NumberFormatException e) {
                millis = -1;
            }
            if (millis <= 0) {
                throw new ConfigurationException("Setting admin_timeout_ms='" + timeout
                        + "' must be a positive number of milliseconds.");
            }
            adminTimeout = Duration.ofMillis(millis);
        }
        boolean checkVram = parseBoolean(settings, OllamaSettings.CHECK_VRAM_AFTER_RUN, false);
        return new Settings(keepAlive, keepAliveIsNumber, raw, think, system, adminTimeout, checkVram);
    }

    private static boolean parseBoolean(Map<String, String> settings, String key, boolean defaultValue) {
        String value = settings.get(key);
        if (value == null) {
            return defaultValue;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigurationException("Setting " + key + "='" + value + "' must be true or false.");
    }
}
