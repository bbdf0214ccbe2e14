package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.spi.WireEvent;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The guarded recorder of a run")
class RunEventsTest {

    @Test
    @DisplayName("the token ceiling is the limit plus a quarter of it, at least 16")
    void ceiling() {
        assertThat(RunEvents.outputTokenCeiling(0)).isEqualTo(16);
        assertThat(RunEvents.outputTokenCeiling(16)).isEqualTo(32);
        assertThat(RunEvents.outputTokenCeiling(64)).isEqualTo(80);
        assertThat(RunEvents.outputTokenCeiling(4096)).isEqualTo(5120);
        assertThatThrownBy(() -> RunEvents.outputTokenCeiling(-1)).hasMessageContaining("-1");
    }

    @Property(tries = 200)
    void a_stream_ends_exactly_when_it_passes_the_ceiling(@ForAll @IntRange(min = 0, max = 300) int limit,
            @ForAll @IntRange(min = 1, max = 4) int tokensPerChunk) {
        List<WireEvent> recorded = new ArrayList<>();
        RunEvents events = new RunEvents(recorded::add, limit);
        long ceiling = RunEvents.outputTokenCeiling(limit);
        long sent = 0;
        int chunks = 0;
        while (events.emit(new WireEvent.ContentDelta("x", tokensPerChunk))) {
            sent += tokensPerChunk;
            chunks++;
            assertThat(sent).isLessThanOrEqualTo(ceiling);
        }
        assertThat(events.ended()).isTrue();
        assertThat(recorded).hasSize(chunks + 2);
        WireEvent.Failed failed = (WireEvent.Failed) recorded.get(recorded.size() - 1);
        assertThat(failed.kind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
        assertThat(events.outputTokens()).isGreaterThan(ceiling).isLessThanOrEqualTo(ceiling + tokensPerChunk);
    }

    @Test
    @DisplayName("one terminal event passes; RequestSent passes once and never after the response")
    void oneTerminal() {
        List<WireEvent> recorded = new ArrayList<>();
        RunEvents events = new RunEvents(recorded::add, null);
        assertThat(events.emit(new WireEvent.RequestSent())).isTrue();
        assertThat(events.emit(new WireEvent.RequestSent())).isTrue();
        assertThat(events.emit(new WireEvent.ResponseStarted(200))).isTrue();
        assertThat(events.finish(new WireEvent.Completed(FinishReason.STOP))).isTrue();
        assertThat(events.fail(FailureKind.TIMEOUT, "late", null)).isFalse();
        assertThat(events.emit(new WireEvent.ContentDelta("late", 1))).isFalse();
        assertThat(recorded).containsExactly(new WireEvent.RequestSent(), new WireEvent.ResponseStarted(200),
                new WireEvent.Completed(FinishReason.STOP));
        assertThat(events.completed()).isTrue();
        assertThatThrownBy(() -> events.finish(new WireEvent.RequestSent())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a recorder that throws ends the run and the exception reaches the caller's thread")
    void bug() {
        RunEvents events = new RunEvents(event -> {
            throw new IllegalStateException("refused " + event);
        }, null);
        assertThat(events.emit(new WireEvent.RequestSent())).isFalse();
        assertThat(events.ended()).isTrue();
        assertThatThrownBy(events::rethrowBug).isInstanceOf(IllegalStateException.class).hasMessageContaining("refused");
    }
}
