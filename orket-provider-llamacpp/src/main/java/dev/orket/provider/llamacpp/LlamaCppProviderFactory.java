package dev.orket.provider.llamacpp;

import dev.orket.api.Capability;
import dev.orket.api.ConfigurationException;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import dev.orket.core.stream.HttpTransport;
import java.util.Set;

/**
 * Creates {@link LlamaCppProvider}s; registered for {@link java.util.ServiceLoader} under the id
 * {@code llamacpp}. Construction does nothing.
 *
 * <p>Settings ({@link ProviderConfig#settings()}):
 *
 * <ul>
 *   <li>{@code api_prefix}: the server's {@code --api-prefix}, e.g. {@code /llama}; default none
 *   <li>{@code max_event_bytes}: the longest SSE line or event accepted, in bytes; default 8 MiB.
 *       A longer one fails the run with {@code RESPONSE_TOO_LARGE}
 *   <li>{@code max_body_bytes}: the longest non-streamed body accepted, in bytes; default 64 MiB
 * </ul>
 *
 * @since 0.1
 */
public final class LlamaCppProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "llamacpp";
    /** Setting: the server's {@code --api-prefix}. */
    public static final String API_PREFIX = "api_prefix";
    /** Setting: the SSE line and event size limit in bytes. */
    public static final String MAX_EVENT_BYTES = "max_event_bytes";
    /** Setting: the non-streamed body size limit in bytes. */
    public static final String MAX_BODY_BYTES = "max_body_bytes";

    static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;
    static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

    /** Discovery constructor; does nothing. */
    public LlamaCppProviderFactory() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return LlamaCppProvider.declaredCapabilities();
    }

    @Override
    public LlamaCppProvider create(ProviderConfig config) {
        for (String key : config.settings().keySet()) {
            if (!key.equals(API_PREFIX) && !key.equals(MAX_EVENT_BYTES) && !key.equals(MAX_BODY_BYTES)) {
                throw new ConfigurationException("Unknown llamacpp setting '" + key + "'; expected one of ["
                        + API_PREFIX + ", " + MAX_BODY_BYTES + ", " + MAX_EVENT_BYTES
                        + "]. See docs/providers/llamacpp.md.");
            }
        }
        String prefix = config.setting(API_PREFIX, "");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("?"))) {
            throw new ConfigurationException("llamacpp setting '" + API_PREFIX + "' must start with '/' and not end"
                    + " with '/' but was '" + prefix + "'. Use the value given to llama-server's --api-prefix.");
        }
        return new LlamaCppProvider(config, prefix,
                HttpTransport.byteLimitSetting(config, ID, MAX_EVENT_BYTES, DEFAULT_MAX_EVENT_BYTES),
                HttpTransport.byteLimitSetting(config, ID, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES));
    }
}
