package dev.orket.sidecar.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.spi.GpuSidecarFactory;
import dev.orket.api.spi.SidecarConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Discovery")
class DiscoveryTest {

    @Test
    @DisplayName("ServiceLoader finds the factory by id nvidia-smi, and it creates a sidecar without I/O")
    void serviceLoaderFindsNvidiaSmi() {
        List<GpuSidecarFactory> found = new ArrayList<>();
        ServiceLoader.load(GpuSidecarFactory.class).forEach(found::add);
        assertThat(found).extracting(GpuSidecarFactory::id).contains("nvidia-smi");
        GpuSidecarFactory factory = found.stream().filter(f -> f.id().equals("nvidia-smi")).findFirst().orElseThrow();
        assertThat(factory.create(SidecarConfig.of("/nonexistent/nvidia-smi")).id()).isEqualTo("nvidia-smi");
    }
}
