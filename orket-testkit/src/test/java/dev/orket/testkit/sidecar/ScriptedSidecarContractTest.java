package dev.orket.testkit.sidecar;

import dev.orket.api.SidecarParseStatus;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.simulator.sidecar.ScriptedSidecar;
import dev.orket.testkit.SidecarContract;
import dev.orket.testkit.SidecarScenario;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The scripted sidecar passes the sidecar contract, as a sidecar module's subclass would. */
class ScriptedSidecarContractTest extends SidecarContract {

    @Override
    protected GpuSidecar createSidecar(SidecarScenario scenario, Duration deadline) {
        switch (scenario) {
            case HEALTHY:
                return ScriptedSidecar.builder().sample(ScriptedSidecar.gpu(0, 81559, 20000, 40.0, Set.of(), List.of()))
                        .sample(ScriptedSidecar.gpu(100, 81559, 20500, 41.0, Set.of(), List.of())).build();
            case TOOL_MISSING:
                return ScriptedSidecar.unavailable();
            case TOOL_HANGS:
                return ScriptedSidecar.hanging(deadline);
            case MALFORMED_OUTPUT:
                return ScriptedSidecar.builder()
                        .status(SidecarParseStatus.PARSE_ERROR, "parse_error:line_1", "missing:vram_used_mib").build();
            default:
                throw new AssertionError(scenario);
        }
    }
}
