package dev.orket.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The reader keeps what the server wrote, reads every error shape, and names what is not JSON. */
class ChunkReaderTest {

    private static ParsedChunk read(String json) throws ChunkReader.MalformedException {
        ParsedChunk chunk = new ParsedChunk();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ChunkReader.read(bytes, 0, bytes.length, chunk);
        return chunk;
    }

    @Test
    @DisplayName("counts and durations are kept as written: negative, beyond a long, fractional, non-numbers absent")
    void numbersAsWritten() throws Exception {
        ParsedChunk c = read("{\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":99999999999999999999999,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":\"many\"}},\"timings\":{\"prompt_n\":-1e300,"
                + "\"prompt_ms\":1.7e308,\"predicted_ms\":-2,\"cache_n\":2.9,\"predicted_n\":null},"
                + "\"metrics\":{\"time_to_first_token_ms\":1e-320,\"generation_time_ms\":\"fast\"}}");
        assertThat(c.usagePromptTokens).isEqualTo(-3);
        assertThat(c.usageCompletionTokens).isEqualTo(Long.MAX_VALUE);
        assertThat(c.usageCachedTokens).isEqualTo(ParsedChunk.ABSENT);
        assertThat(c.timingsPromptN).as("a huge negative count never reads as absent").isEqualTo(Long.MIN_VALUE + 1);
        assertThat(c.timingsCacheN).isEqualTo(2);
        assertThat(c.timingsPredictedN).isEqualTo(ParsedChunk.ABSENT);
        assertThat(c.timingsPromptMs).isEqualTo(1.7e308);
        assertThat(c.timingsPredictedMs).isEqualTo(-2.0);
        assertThat(c.metricsTimeToFirstTokenMs).isEqualTo(1e-320);
        assertThat(c.metricsGenerationMs).isNaN();
    }

    @Test
    @DisplayName("reads llama-server's, vLLM's flat and TGI's error shapes")
    void errorShapes() throws Exception {
        ParsedChunk llama = read("{\"error\":{\"code\":400,\"message\":\"m\",\"type\":\"exceed_context_size_error\","
                + "\"n_prompt_tokens\":2416,\"n_ctx\":512}}");
        assertThat(llama.isError).isTrue();
        assertThat(llama.errorType).isEqualTo("exceed_context_size_error");
        assertThat(llama.errorCode).isEqualTo("400");
        assertThat(llama.errorContextSize).isEqualTo(512);
        assertThat(llama.errorPromptTokens).isEqualTo(2416);
        ParsedChunk flat = read("{\"message\":\"The model `x` does not exist.\",\"code\":404,\"object\":\"error\","
                + "\"type\":\"NotFoundError\",\"param\":null}");
        assertThat(flat.isError).isTrue();
        assertThat(flat.errorMessage).isEqualTo("The model `x` does not exist.");
        assertThat(flat.errorType).isEqualTo("NotFoundError");
        assertThat(flat.errorCode).isEqualTo("404");
        ParsedChunk tgi = read("{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}");
        assertThat(tgi.isError).isTrue();
        assertThat(tgi.errorMessage).isEqualTo("Model is overloaded");
        assertThat(tgi.errorType).isEqualTo("overloaded");
        ParsedChunk notAnError = read("{\"message\":\"hello\",\"type\":\"x\"}");
        assertThat(notAnError.isError).isFalse();
    }

    @Test
    @DisplayName("the first choice's text, delta or message; a reasoning-only delta is marked; usage null is no usage")
    void choices() throws Exception {
        ParsedChunk delta = read("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null,"
                + "\"reasoning_content\":\"hm\"},\"finish_reason\":null},{\"delta\":{\"content\":\"second\"}}],"
                + "\"usage\":null}");
        assertThat(delta.choices).isEqualTo(2);
        assertThat(delta.content).isNull();
        assertThat(delta.reasoningOnly).isTrue();
        assertThat(delta.hasUsage).isFalse();
        ParsedChunk text = read("{\"choices\":[{\"text\":\"ab\",\"finish_reason\":\"stop\",\"stop_reason\":13}]}");
        assertThat(text.content).isEqualTo("ab");
        assertThat(text.finishReason).isEqualTo("stop");
        assertThat(text.stopSequence).as("a stop token id is not a stop sequence").isNull();
        ParsedChunk message = read("{\"choices\":[{\"message\":{\"content\":\"x\",\"reasoning\":\"r\"}}]}");
        assertThat(message.content).isEqualTo("x");
        assertThat(message.reasoningOnly).isFalse();
        assertThat(read("{\"object\":\"list\"}").choices).isEqualTo(-1);
    }

    @Test
    @DisplayName("what is not one JSON object is malformed, with the parser's reason")
    void malformed() {
        assertThatThrownBy(() -> read("[1]")).isInstanceOf(ChunkReader.MalformedException.class)
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> read("{\"a\":1} {")).isInstanceOf(ChunkReader.MalformedException.class)
                .hasMessageContaining("after the JSON object");
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> ChunkReader.read(invalidUtf8, 0, invalidUtf8.length, new ParsedChunk()))
                .isInstanceOf(ChunkReader.MalformedException.class).hasMessageContaining("invalid JSON");
    }
}
