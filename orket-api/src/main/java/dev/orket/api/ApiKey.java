package dev.orket.api;

import java.util.Objects;

/**
 * A secret credential for an inference server. It travels only in a request header: its
 * {@code toString()} is redacted so it cannot leak into a log line or an artifact by accident.
 *
 * @since 0.1
 */
public final class ApiKey {
    private final String secret;

    private ApiKey(String secret) {
        this.secret = secret;
    }

    /**
     * Wraps a secret.
     *
     * @throws IllegalArgumentException when the secret is blank or holds a line break
     */
    public static ApiKey of(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("API key must not be blank");
        }
        if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("API key must not contain a line break");
        }
        return new ApiKey(secret);
    }

    /** The value of an {@code Authorization} header carrying this key as a bearer token. */
    public String bearerHeaderValue() {
        return "Bearer " + secret;
    }

    /** The raw secret, for the one place that writes it into a request header. */
    public String reveal() {
        return secret;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey && ((ApiKey) other).secret.equals(secret);
    }

    @Override
    public int hashCode() {
        return secret.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKey[redacted]";
    }
}
