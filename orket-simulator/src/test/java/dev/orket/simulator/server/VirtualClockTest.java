package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.simulator.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

    @Test
    void movesOnlyForward() {
        VirtualClock clock = new VirtualClock();
        assertThat(clock.nanoTime()).isZero();
        clock.advanceBy(Duration.ofMillis(3));
        clock.advanceTo(Duration.ofMillis(40));
        assertThat(clock.now()).isEqualTo(Duration.ofMillis(40));
        assertThat(clock.nanoTime()).isEqualTo(40_000_000L);
        assertThatThrownBy(() -> clock.advanceTo(Duration.ofMillis(39))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never goes back");
        assertThatThrownBy(() -> clock.advanceBy(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.advanceToAtLeast(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(40));
    }
}
