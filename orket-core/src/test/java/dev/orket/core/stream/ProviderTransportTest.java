package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ConfigurationException;
import dev.orket.api.FailureKind;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.WireEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A provider's transport is built on first use, once, and never again after the provider is closed. */
class ProviderTransportTest {

    private final AtomicInteger built = new AtomicInteger();
    private final List<WireEvent> recorded = new ArrayList<>();
    private final ProviderTransport transport = new ProviderTransport("demo", () -> {
        built.incrementAndGet();
        return HttpTransport.builder(ProviderConfig.of(URI.create("http://127.0.0.1:9")), "demo-server").build();
    });

    @Test
    @DisplayName("nothing is built until the first use, and the first use's transport serves every later one")
    void lazyAndShared() {
        assertThat(built).hasValue(0);
        HttpTransport first = transport.forCall();
        assertThat(transport.forRun(recorded::add)).isSameAs(first);
        assertThat(transport.forCall()).isSameAs(first);
        assertThat(built).hasValue(1);
        assertThat(recorded).isEmpty();
        transport.close();
    }

    @Test
    @DisplayName("once closed, a run fails as PROVIDER_ERROR data and a call throws, both naming the provider")
    void closed() {
        transport.forCall();
        transport.close();
        transport.close();
        assertThat(transport.forRun(recorded::add)).isNull();
        assertThat(recorded).containsExactly(new WireEvent.Failed(FailureKind.PROVIDER_ERROR,
                "the demo provider is closed; create a new one", null));
        assertThatThrownBy(transport::forCall).isInstanceOf(IllegalStateException.class)
                .hasMessage("the demo provider is closed; create a new one");
        assertThat(built).as("never rebuilt after close").hasValue(1);
    }

    @Test
    @DisplayName("a provider closed before any use never builds a transport")
    void closedBeforeUse() {
        transport.close();
        assertThat(transport.forRun(recorded::add)).isNull();
        assertThat(built).hasValue(0);
    }

    @Test
    @DisplayName("a byte-limit setting is a positive int, its default when unset; anything else is refused with the fix")
    void byteLimitSetting() {
        ProviderConfig unset = ProviderConfig.of(URI.create("http://127.0.0.1:9"));
        assertThat(HttpTransport.byteLimitSetting(unset, "demo", "max_body_bytes", 64)).isEqualTo(64);
        ProviderConfig set = new ProviderConfig(URI.create("http://127.0.0.1:9"), null, Duration.ofSeconds(5),
                Map.of("max_body_bytes", " 1024 ", "max_event_bytes", "0"));
        assertThat(HttpTransport.byteLimitSetting(set, "demo", "max_body_bytes", 64)).isEqualTo(1024);
        assertThatThrownBy(() -> HttpTransport.byteLimitSetting(set, "demo", "max_event_bytes", 8))
                .isInstanceOf(ConfigurationException.class).hasMessage("demo setting 'max_event_bytes' must be a"
                        + " positive number of bytes but was '0'; the default is 8.");
    }
}
