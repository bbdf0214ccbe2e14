package dev.orket.api;

/**
 * No provider or sidecar with the requested id is on the class path, or two claim it.
 *
 * @since 0.1
 */
public class ProviderNotFoundException extends OrketException {
    private static final long serialVersionUID = 1L;

    public ProviderNotFoundException(String message) {
        super(message);
    }
}
