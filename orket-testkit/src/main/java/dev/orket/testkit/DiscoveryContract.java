package dev.orket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orket.api.ProviderNotFoundException;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The provider's factory is found by id through ServiceLoader, fails closed otherwise, and is cheap. */
abstract class DiscoveryContract extends ContractGroup {

    @BeforeEach
    void requireDiscovery() {
        assumeTrue(contract().supportsDiscovery(), "discovery is switched off for this provider");
    }

    private String providerId() {
        try (ContractRun run = run()) {
            return run.provider().id();
        }
    }

    @Test
    @DisplayName("finds the provider's factory by its id through ServiceLoader")
    void found() {
        String id = providerId();
        ProviderFactory factory = FactoryResolver.provider(id);
        assertThat(factory.id()).isEqualTo(id);
        assertThat(id).as("provider id").matches("[a-z0-9][a-z0-9-]*");
        assertThat(factory.spiVersion()).isEqualTo(ProviderFactory.SPI_VERSION);
    }

    @Test
    @DisplayName("has a public no-arg factory whose providers carry its id and capabilities")
    void factoryCreates() throws ReflectiveOperationException {
        ProviderFactory factory = FactoryResolver.provider(providerId());
        assertThat(Modifier.isPublic(factory.getClass().getModifiers())).as("factory class is public").isTrue();
        assertThat(factory.getClass().getConstructor().newInstance().id()).isEqualTo(factory.id());
        try (ContractRun run = run();
                InferenceProvider created = factory.create(ProviderConfig.of(run.server().baseUri()))) {
            assertThat(created.id()).isEqualTo(factory.id());
            assertThat(created.capabilities()).isEqualTo(factory.capabilities());
            assertThat(run.server().requestCount()).as("requests made by create()").isZero();
        }
    }

    @Test
    @DisplayName("fails closed on an unknown id, naming the ids it found")
    void unknownId() {
        String id = providerId();
        assertThatThrownBy(() -> FactoryResolver.provider(id + "-misspelt"))
                .isInstanceOf(ProviderNotFoundException.class).hasMessageContaining(id);
    }
}
