package dev.orket.provider.openai;

import dev.orket.api.Capability;
import dev.orket.api.ConfigurationException;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import dev.orket.core.stream.HttpTransport;
import dev.orket.provider.openai.internal.RequestJson;
import java.util.Locale;
import java.util.Set;

/**
 * Creates {@link OpenAiProvider}s; registered for {@link java.util.ServiceLoader} under the id {@code openai}.
 * Construction does nothing.
 *
 * <p>The base URL is the server's root ({@code http://127.0.0.1:8000}), not the OpenAI client's
 * {@code .../v1}: the provider adds {@code api_prefix} to the API's paths and asks {@code /health} and llama-server's
 * {@code /props} at the root. Settings ({@link ProviderConfig#settings()}):
 *
 * <ul>
 *   <li>{@code api_prefix}: the path the OpenAI API lives under; default {@code /v1}
 *   <li>{@code max_event_bytes}: the longest SSE line or event accepted, in bytes; default 8 MiB. A longer one fails
 *       the run with {@code RESPONSE_TOO_LARGE}
 *   <li>{@code max_body_bytes}: the longest non-streamed body accepted, in bytes; default 64 MiB
 *   <li>{@code cold_cache}: what a run that expects a cold prompt cache adds to its request: {@code none} (default),
 *       {@code cache_prompt_false} (llama-server) or {@code cache_salt} (vLLM)
 * </ul>
 *
 * @since 0.2
 */
public final class OpenAiProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "openai";
    /** Setting: the path the OpenAI API lives under. */
    public static final String API_PREFIX = "api_prefix";
    /** Setting: the SSE line and event size limit in bytes. */
    public static final String MAX_EVENT_BYTES = "max_event_bytes";
    /** Setting: the non-streamed body size limit in bytes. */
    public static final String MAX_BODY_BYTES = "max_body_bytes";
    /** Setting: what a run that expects a cold prompt cache adds to its request. */
    public static final String COLD_CACHE = "cold_cache";

    static final String DEFAULT_API_PREFIX = "/v1";
    static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;
    static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

    /** Discovery constructor; does nothing. */
    public OpenAiProviderFactory() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return OpenAiProvider.declaredCapabilities();
    }

    /**
     * @throws ConfigurationException for an unknown setting, a bad value, or a base URL that already ends with the
     *     API prefix, naming the key and the fix
     */
    @Override
    public OpenAiProvider create(ProviderConfig config) {
        for (String key : config.settings().keySet()) {
            if (!key.equals(API_PREFIX) && !key.equals(MAX_EVENT_BYTES) && !key.equals(MAX_BODY_BYTES)
                    && !key.equals(COLD_CACHE)) {
                throw new ConfigurationException("Unknown openai setting '" + key + "'; expected one of [" + API_PREFIX
                        + ", " + COLD_CACHE + ", " + MAX_BODY_BYTES + ", " + MAX_EVENT_BYTES
                        + "]. See docs/providers/openai.md.");
            }
        }
        String prefix = config.setting(API_PREFIX, DEFAULT_API_PREFIX);
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("?"))) {
            throw new ConfigurationException("openai setting '" + API_PREFIX + "' must be empty or start with '/' and"
                    + " not end with '/' but was '" + prefix + "'. The default is " + DEFAULT_API_PREFIX + ".");
        }
        String path = config.baseUrl().getPath() == null ? "" : config.baseUrl().getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!prefix.isEmpty() && path.endsWith(prefix)) {
            throw new ConfigurationException("The openai provider's base URL " + config.baseUrl() + " already ends with"
                    + " the API prefix '" + prefix + "'; give the server's root (e.g. "
                    + config.baseUrl().resolve("/") + ") and the provider adds '" + prefix + "' itself, or set '"
                    + API_PREFIX + "' to the path the API lives under.");
        }
        return new OpenAiProvider(config, prefix,
                HttpTransport.byteLimitSetting(config, ID, MAX_EVENT_BYTES, DEFAULT_MAX_EVENT_BYTES),
                HttpTransport.byteLimitSetting(config, ID, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES), coldCache(config));
    }

    private static RequestJson.ColdCache coldCache(ProviderConfig config) {
        String value = config.setting(COLD_CACHE, RequestJson.ColdCache.NONE.setting()).strip()
                .toLowerCase(Locale.ROOT);
        for (RequestJson.ColdCache option : RequestJson.ColdCache.values()) {
            if (option.setting().equals(value)) {
                return option;
            }
        }
        throw new ConfigurationException("openai setting '" + COLD_CACHE + "' must be one of [none, cache_prompt_false,"
                + " cache_salt] but was '" + config.setting(COLD_CACHE, "") + "'. Use cache_prompt_false for"
                + " llama-server, cache_salt for vLLM, none otherwise.");
    }
}
