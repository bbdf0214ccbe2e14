package dev.orket.core.quality;

import dev.orket.api.ConfigurationException;

/**
 * No quality scorer factory has the id a sweep named, or two have the same id.
 *
 * @since 0.1
 */
public final class ScorerNotFoundException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    public ScorerNotFoundException(String message) {
        super(message);
    }
}
