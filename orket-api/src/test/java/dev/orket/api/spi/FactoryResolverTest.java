package dev.orket.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ProviderNotFoundException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Resolving a factory by id")
class FactoryResolverTest {

    record Named(String id) {}

    private static Named resolve(List<Named> found, String id) {
        return FactoryResolver.resolve(found, id, Named::id, "provider", "orket-provider-");
    }

    @Test
    @DisplayName("finds the one factory with the id")
    void findsTheOne() {
        Named ollama = new Named("ollama");

        assertThat(resolve(List.of(new Named("llamacpp"), ollama), "ollama")).isSameAs(ollama);
    }

    @Test
    @DisplayName("an unknown id fails closed, listing the ids found and the artifact to add")
    void unknownId() {
        assertThatThrownBy(() -> resolve(List.of(new Named("ollama"), new Named("llamacpp")), "olama"))
                .isInstanceOf(ProviderNotFoundException.class)
                .hasMessage("Unknown provider id 'olama'; found [llamacpp, ollama]. Add orket-provider-olama to the"
                        + " class path or use one of the ids found.");
    }

    @Test
    @DisplayName("a duplicate id fails closed naming both classes, never a silent first-found winner")
    void duplicateId() {
        assertThatThrownBy(() -> resolve(List.of(new Named("ollama"), new Named("ollama")), "ollama"))
                .isInstanceOf(ProviderNotFoundException.class)
                .hasMessageStartingWith("Duplicate provider id 'ollama' claimed by ")
                .hasMessageContaining(Named.class.getName());
    }

    @Test
    @DisplayName("no factory at all names the artifact to add")
    void noneFound() {
        assertThatThrownBy(() -> resolve(List.of(), "llamacpp"))
                .hasMessage("No provider found on the class path while looking for 'llamacpp'. Add"
                        + " orket-provider-llamacpp to the class path.");
    }

    @Test
    @DisplayName("ServiceLoader discovery on a class path without providers fails closed")
    void serviceLoaderWithoutProviders() {
        assertThatThrownBy(() -> FactoryResolver.provider("llamacpp"))
                .isInstanceOf(ProviderNotFoundException.class)
                .hasMessageContaining("orket-provider-llamacpp");
    }
}
