package dev.orket.sidecar.nvidia;

import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.SidecarConfig;
import dev.orket.testkit.SidecarContract;
import dev.orket.testkit.SidecarScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The nvidia-smi sidecar passes the sidecar contract, each scenario a stand-in tool (a shell script). */
@DisabledOnOs(OS.WINDOWS)
class NvidiaSmiSidecarContractTest extends SidecarContract {

    @TempDir
    static Path tools;

    @Override
    protected GpuSidecar createSidecar(SidecarScenario scenario, Duration deadline) {
        String body;
        switch (scenario) {
            case HEALTHY:
                // One round, or a round every 50 ms with -lms, as nvidia-smi prints them.
                body = "while :; do printf '0, GPU-5e2f, NVIDIA GeForce RTX 4090, 24564, 1210\\n'\n"
                        + "case \" $* \" in *' -lms '*) sleep 0.05;; *) exit 0;; esac; done";
                break;
            case TOOL_HANGS:
                body = "sleep 600";
                break;
            case MALFORMED_OUTPUT:
                body = "echo 'Failed to initialize NVML: Driver/library version mismatch'";
                break;
            case TOOL_MISSING:
                return create(tools.resolve("no-such-nvidia-smi"), deadline);
            default:
                throw new AssertionError(scenario);
        }
        return create(tool(scenario.name().toLowerCase(java.util.Locale.ROOT), body), deadline);
    }

    private static GpuSidecar create(Path tool, Duration deadline) {
        return new NvidiaSmiSidecarFactory().create(new SidecarConfig(List.of(tool.toString()), Duration.ofMillis(50),
                deadline, Map.of("query_fields", "index,uuid,name,memory.total,memory.used")));
    }

    private static Path tool(String name, String body) {
        try {
            Path script = tools.resolve(name);
            Files.writeString(script, "#!/bin/bash\n" + body + "\n");
            if (!script.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + script + " executable");
            }
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
