package dev.orket.provider.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventReaderTest {

    private static ParsedEvent read(String json) throws EventReader.MalformedException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ParsedEvent event = new ParsedEvent();
        EventReader.read(bytes, 0, bytes.length, event);
        return event;
    }

    @Test
    @DisplayName("a native partial event gives its content and token count")
    void nativePartial() throws Exception {
        ParsedEvent e = read("{\"index\":0,\"content\":\"ight\",\"tokens\":[523],\"stop\":false,\"id_slot\":-1,"
                + "\"tokens_predicted\":1,\"tokens_evaluated\":10}");
        assertThat(e.content).isEqualTo("ight");
        assertThat(e.tokensLength).isEqualTo(1);
        assertThat(e.stop).isFalse();
        assertThat(e.tokensPredicted).isEqualTo(1);
        assertThat(e.tokensEvaluated).isEqualTo(10);
        assertThat(e.hasTimings).isFalse();
    }

    @Test
    @DisplayName("the final event's timings are read and the server's rates ignored")
    void timings() throws Exception {
        ParsedEvent e = read("{\"content\":\"\",\"tokens\":[],\"stop\":true,\"generation_settings\":{\"stop\":[\"x\"],"
                + "\"n_predict\":16},\"truncated\":true,\"stop_type\":\"limit\",\"timings\":{\"cache_n\":9,"
                + "\"prompt_n\":1,\"prompt_ms\":0.294,\"prompt_per_token_ms\":0.294,\"prompt_per_second\":3401.3,"
                + "\"predicted_n\":16,\"predicted_ms\":2.995,\"predicted_per_token_ms\":0.19,\"predicted_per_second\":5008.3}}");
        assertThat(e.stop).isTrue();
        assertThat(e.truncated).isTrue();
        assertThat(e.stopType).isEqualTo("limit");
        assertThat(e.tokensLength).isZero();
        assertThat(e.cacheN).isEqualTo(9);
        assertThat(e.promptN).isEqualTo(1);
        assertThat(e.promptMs).isEqualTo(0.294);
        assertThat(e.predictedN).isEqualTo(16);
        assertThat(e.predictedMs).isEqualTo(2.995);
    }

    @Test
    @DisplayName("a chat chunk gives the first choice's delta and finish reason, usage and cached tokens")
    void chat() throws Exception {
        ParsedEvent role = read("{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":null}}],\"object\":\"chat.completion.chunk\"}");
        assertThat(role.content).isNull();
        assertThat(role.choices).isEqualTo(1);
        ParsedEvent usage = read("{\"choices\":[],\"usage\":{\"completion_tokens\":16,\"prompt_tokens\":42,"
                + "\"total_tokens\":58,\"prompt_tokens_details\":{\"cached_tokens\":41}}}");
        assertThat(usage.choices).isZero();
        assertThat(usage.usagePromptTokens).isEqualTo(42);
        assertThat(usage.usageCachedTokens).isEqualTo(41);
        assertThat(usage.usageCompletionTokens).isEqualTo(16);
        ParsedEvent finish = read("{\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}]}");
        assertThat(finish.finishReason).isEqualTo("length");
    }

    @Test
    @DisplayName("an error object gives its type, message, code and context facts")
    void error() throws Exception {
        ParsedEvent e = read("{\"error\":{\"code\":400,\"message\":\"request (2401 tokens) exceeds\","
                + "\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":2401,\"n_ctx\":512}}");
        assertThat(e.isError).isTrue();
        assertThat(e.errorCode).isEqualTo(400);
        assertThat(e.errorType).isEqualTo("exceed_context_size_error");
        assertThat(e.errorPromptTokens).isEqualTo(2401);
        assertThat(e.errorContextSize).isEqualTo(512);
    }

    @Test
    @DisplayName("invalid UTF-8, in read or skipped strings, and broken JSON are malformed")
    void malformed() {
        byte[] bad = {'{', '"', 'c', 'o', 'n', 't', 'e', 'n', 't', '"', ':', '"', (byte) 0x80, '"', '}'};
        assertThatThrownBy(() -> EventReader.read(bad, 0, bad.length, new ParsedEvent()))
                .isInstanceOf(EventReader.MalformedException.class);
        byte[] skipped = {'{', '"', 'm', 'o', 'd', 'e', 'l', '"', ':', '"', (byte) 0xC3, 'x', '"', '}'};
        assertThatThrownBy(() -> EventReader.read(skipped, 0, skipped.length, new ParsedEvent()))
                .isInstanceOf(EventReader.MalformedException.class);
        assertThatThrownBy(() -> read("{\"content\":\"x\"")).isInstanceOf(EventReader.MalformedException.class);
        assertThatThrownBy(() -> read("<html>")).isInstanceOf(EventReader.MalformedException.class);
        assertThatThrownBy(() -> read("42")).isInstanceOf(EventReader.MalformedException.class);
    }

    @Test
    @DisplayName("counts and durations are handed over as the server said them, judged by core; non-numbers are absent")
    void oddNumbers() throws Exception {
        ParsedEvent e = read("{\"timings\":{\"prompt_n\":-1,\"predicted_n\":\"x\",\"prompt_ms\":null,\"predicted_ms\":-3}}");
        // Numbers go on as the server said them (the recorder judges them); what is not a number is absent.
        assertThat(e.promptN).isEqualTo(-1L);
        assertThat(e.predictedN).isEqualTo(ParsedEvent.ABSENT_COUNT);
        assertThat(e.promptMs).isNaN();
        assertThat(e.predictedMs).isEqualTo(-3.0);
    }
}
