package dev.orket.api;

/**
 * A caller asked a provider for a capability it does not declare.
 *
 * @since 0.1
 */
public class UnsupportedCapabilityException extends OrketException {
    private static final long serialVersionUID = 1L;

    private final String providerId;
    private final Capability capability;

    public UnsupportedCapabilityException(String providerId, Capability capability) {
        super("Provider '" + providerId + "' does not support " + capability.jsonName()
                + "; check InferenceProvider.capabilities() before asking for it.");
        this.providerId = providerId;
        this.capability = capability;
    }

    public String providerId() {
        return providerId;
    }

    public Capability capability() {
        return capability;
    }
}
