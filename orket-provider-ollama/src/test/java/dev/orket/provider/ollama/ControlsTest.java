package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Ollama's experimental controls")
class ControlsTest {

    @Test
    @DisplayName("every control goes in the request's options, so each requested one is applied")
    void everyControlPerRequest() {
        try (OllamaProvider provider = Runs.provider(URI.create("http://127.0.0.1:9"))) {
            Map<ExperimentalControl, ControlApplication> controls = provider.controlsFor(Runs.completion(false)
                    .seed(42L).temperature(0.0).threads(8).contextSize(8192).build());

            assertThat(controls).containsEntry(ExperimentalControl.SEED,
                    ControlApplication.applied(42L, "sent as options.seed"))
                    .containsEntry(ExperimentalControl.TEMPERATURE,
                            ControlApplication.applied(0.0, "sent as options.temperature"))
                    .containsEntry(ExperimentalControl.THREADS,
                            ControlApplication.applied(8, "sent as options.num_thread"))
                    .containsEntry(ExperimentalControl.CONTEXT_SIZE,
                            ControlApplication.applied(8192, "sent as options.num_ctx"));
            assertThat(provider.controlsFor(Runs.completion(false).seed(null).build())
                    .get(ExperimentalControl.SEED)).isEqualTo(ControlApplication.notApplicable("not requested"));
        }
    }
}
