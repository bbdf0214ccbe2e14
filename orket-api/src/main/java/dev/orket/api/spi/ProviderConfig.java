package dev.orket.api.spi;

import dev.orket.api.ApiKey;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a provider's server is and how to talk to it.
 *
 * @param baseUrl the server's base URL, e.g. {@code http://127.0.0.1:8080}
 * @param apiKey the key sent in the {@code Authorization} header, or null for none
 * @param connectTimeout the deadline for opening a connection
 * @param settings provider-specific settings by name (documented per provider in {@code docs/providers/})
 * @param adminTimeout the deadline on the whole exchange (headers and body) of every call outside a measured run:
 *     readiness probes, server props, model lists, unloads
 * @since 0.1
 */
public record ProviderConfig(URI baseUrl, @Nullable ApiKey apiKey, Duration connectTimeout, Map<String, String> settings,
        Duration adminTimeout) {

    /** The admin deadline of {@link #ProviderConfig(URI, ApiKey, Duration, Map)} and {@link #of(URI)}: 10 s. */
    public static final Duration DEFAULT_ADMIN_TIMEOUT = Duration.ofSeconds(10);

    public ProviderConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(adminTimeout, "adminTimeout");
        settings = Map.copyOf(settings);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive but was " + connectTimeout);
        }
        if (adminTimeout.isNegative() || adminTimeout.isZero()) {
            throw new IllegalArgumentException("adminTimeout must be positive but was " + adminTimeout);
        }
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("baseUrl must be http or https but was " + baseUrl);
        }
        if (baseUrl.getUserInfo() != null || baseUrl.getQuery() != null) {
            throw new IllegalArgumentException(
                    "baseUrl must not carry credentials or a query; pass an API key with apiKey instead");
        }
    }

    /** A configuration with the default admin deadline ({@link #DEFAULT_ADMIN_TIMEOUT}). */
    public ProviderConfig(URI baseUrl, @Nullable ApiKey apiKey, Duration connectTimeout, Map<String, String> settings) {
        this(baseUrl, apiKey, connectTimeout, settings, DEFAULT_ADMIN_TIMEOUT);
    }

    /** A configuration with no key, a 5 s connect timeout, a 10 s admin deadline and no settings. */
    public static ProviderConfig of(URI baseUrl) {
        return new ProviderConfig(baseUrl, null, Duration.ofSeconds(5), Map.of());
    }

    /**
     * The same configuration with another admin deadline.
     *
     * @since 0.2
     */
    public ProviderConfig withAdminTimeout(Duration value) {
        return new ProviderConfig(baseUrl, apiKey, connectTimeout, settings, value);
    }

    /** A setting's value, or the default when it is not set. */
    public String setting(String name, String defaultValue) {
        return settings.getOrDefault(name, defaultValue);
    }

    @Override
    public String toString() {
        return "ProviderConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "redacted")
                + ", connectTimeout=" + connectTimeout + ", settings=" + settings + ", adminTimeout=" + adminTimeout + "]";
    }
}
