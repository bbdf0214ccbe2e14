package dev.orket.api.spi;

/**
 * Creates {@link GpuSidecar}s; found by {@link java.util.ServiceLoader}.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.orket.api.spi.GpuSidecarFactory}.
 *
 * @since 0.1
 */
public interface GpuSidecarFactory {

    /** The stable lowercase id users select the sidecar by, e.g. {@code nvidia-smi}. */
    String id();

    /** The SPI version the factory was written against. */
    default int spiVersion() {
        return ProviderFactory.SPI_VERSION;
    }

    /** Creates a sidecar. Does no I/O; a missing tool shows later as {@code NOT_APPLICABLE}, not here. */
    GpuSidecar create(SidecarConfig config);
}
