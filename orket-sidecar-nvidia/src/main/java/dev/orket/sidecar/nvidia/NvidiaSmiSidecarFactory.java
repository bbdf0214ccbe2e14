package dev.orket.sidecar.nvidia;

import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.GpuSidecarFactory;
import dev.orket.api.spi.SidecarConfig;

/**
 * Makes {@link NvidiaSmiSidecar}s; registered for {@link java.util.ServiceLoader} under id
 * {@code nvidia-smi}.
 *
 * @since 0.1
 */
public final class NvidiaSmiSidecarFactory implements GpuSidecarFactory {

    /** The factory's id. */
    public static final String ID = "nvidia-smi";

    /** Does nothing; ServiceLoader needs a public no-arg constructor. */
    public NvidiaSmiSidecarFactory() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public GpuSidecar create(SidecarConfig config) {
        return new NvidiaSmiSidecar(config);
    }
}
