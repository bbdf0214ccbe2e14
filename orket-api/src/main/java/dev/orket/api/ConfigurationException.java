package dev.orket.api;

/**
 * A configuration value is missing or wrong; the message names the key, the value and what was
 * expected.
 *
 * @since 0.1
 */
public class ConfigurationException extends OrketException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
