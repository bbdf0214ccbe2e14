package dev.orket.testkit;

import dev.orket.api.ExecutionLane;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.simulator.server.Answer;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ServerDialect;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The contract every {@link InferenceProvider} passes, run against the scripted server with exact
 * virtual-clock timelines. Extend it in the provider module's tests:
 *
 * <pre>{@code
 * class LlamaCppProviderContractTest extends ProviderContract {
 *     protected InferenceProvider createProvider(ProviderConfig config) {
 *         return new LlamaCppProviderFactory().create(config);
 *     }
 *     protected ServerDialect dialect() {
 *         return ServerDialect.LLAMACPP_COMPLETION;
 *     }
 * }
 * }</pre>
 *
 * Groups run only for what the provider declares: streaming checks need {@code STREAMING}, and so on.
 *
 * @since 0.1
 */
public abstract class ProviderContract {

    /**
     * Creates the provider under test from the configuration the check passes: the scripted server's base URL and
     * a short {@link ProviderConfig#adminTimeout()} ({@link #adminTimeout()}) that the provider must honour for
     * every call outside a run. Called once per check.
     *
     * @since 0.2 (before: {@code createProvider(URI baseUrl)})
     */
    protected abstract InferenceProvider createProvider(ProviderConfig config);

    /** The admin deadline the checks configure, short so that stalled admin bodies end quickly: 500 ms. */
    protected Duration adminTimeout() {
        return Duration.ofMillis(500);
    }

    /** The configuration of a check's provider: the base URL and {@link #adminTimeout()}. */
    final ProviderConfig config(URI baseUrl) {
        return ProviderConfig.of(baseUrl).withAdminTimeout(adminTimeout());
    }

    /** The wire dialect the provider speaks for runs of {@link #dialect()}{@code .promptStyle()}. */
    protected abstract ServerDialect dialect();

    /** Whether the Discovery group runs: the provider's factory is registered for {@link java.util.ServiceLoader}. */
    protected boolean supportsDiscovery() {
        return true;
    }

    /** Whether thread-leak checks run (turn off only for a provider whose HTTP client starts non-daemon threads by design). */
    protected boolean checksThreadLeaks() {
        return true;
    }

    /** The model name runs ask for. */
    protected String model() {
        return "tiny-random-llama:q4_k_m";
    }

    /** The scripted answer (at least four tokens). */
    protected Answer answer() {
        return Answer.fixture(model());
    }

    /** The scripted timeline. */
    protected ScriptTimeline timeline() {
        return ScriptTimeline.DEFAULT;
    }

    /** The client timeout of fault runs whose end only the timeout brings (stalls); keep it short. */
    protected Duration faultTimeout() {
        return Duration.ofMillis(800);
    }

    /** The request of a run: the dialect's prompt style, a seed, a 16-token limit, the given mode. */
    protected RunRequest request(String runId, boolean stream) {
        return RunRequest.builder(runId, model(), "The quick brown fox").promptStyle(dialect().promptStyle())
                .stream(stream).maxOutputTokens(answer().outputTokens()).seed(42L).executionLane(ExecutionLane.CI)
                .timeout(Duration.ofSeconds(10)).build();
    }

    @Nested
    @DisplayName("Streaming")
    class Streaming extends StreamingContract {
        @Override
        ProviderContract contract() {
            return ProviderContract.this;
        }
    }

    @Nested
    @DisplayName("Non-streaming")
    class NonStreaming extends NonStreamingContract {
        @Override
        ProviderContract contract() {
            return ProviderContract.this;
        }
    }

    @Nested
    @DisplayName("Failures")
    class Failures extends FailuresContract {
        @Override
        ProviderContract contract() {
            return ProviderContract.this;
        }
    }

    @Nested
    @DisplayName("Connection timing")
    class ConnectionTiming extends ConnectionTimingContract {
        @Override
        ProviderContract contract() {
            return ProviderContract.this;
        }
    }

    @Nested
    @DisplayName("Calls outside runs")
    class Admin extends AdminContract {
        @Override
        ProviderContract contract() {
            return ProviderContract.this;
        }
    }

    @Nested
    @DisplayName("Capabilities")
    class Capabilities extends CapabilitiesContract {
        @Override
        ProviderContract contract() {
            return ProviderContract.this;
        }
    }

    @Nested
    @DisplayName("Readiness")
    class Readiness extends ReadinessContract {
        @Override
        ProviderContract contract() {
            return ProviderContract.this;
        }
    }

    @Nested
    @DisplayName("Discovery")
    class Discovery extends DiscoveryContract {
        @Override
        ProviderContract contract() {
            return ProviderContract.this;
        }
    }
}
