package dev.orket.provider.ollama.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The NDJSON line parser reads what the provider needs and refuses what is not one object")
class LineParserTest {

    private final LineParser parser = new LineParser();
    private final ParsedLine line = new ParsedLine();

    private boolean parse(String text) throws LineParser.MalformedLineException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, 0, bytes.length, line);
    }

    @Test
    @DisplayName("a final chat line: content, done, reason and all six metrics; absent stays absent")
    void finalChatLine() throws Exception {
        parse("{\"model\":\"m\",\"created_at\":\"x\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
                + "[{\"function\":{\"name\":\"f\",\"arguments\":{\"a\":[1,{\"b\":2}]}}}]},\"done\":true,\"done_reason\":"
                + "\"stop\",\"total_duration\":7559906,\"load_duration\":2015557,\"prompt_eval_count\":42,"
                + "\"prompt_eval_duration\":1804000,\"eval_count\":16,\"eval_duration\":2482000}");
        assertThat(line.done()).isTrue();
        assertThat(line.content()).isEmpty();
        assertThat(line.doneReason()).isEqualTo("stop");
        assertThat(line.promptEvalCount()).isEqualTo(42L);
        assertThat(line.evalDurationNanos()).isEqualTo(2482000L);
        assertThat(line.totalDurationNanos()).isEqualTo(7559906L);

        parse("{\"model\":\"m\",\"response\":\"\",\"done\":true,\"total_duration\":5,\"prompt_eval_count\":3,"
                + "\"eval_count\":2,\"context\":[1,2,3]}");
        assertThat(line.loadDurationNanos()).isNull();
        assertThat(line.promptEvalDurationNanos()).isNull();
        assertThat(line.evalDurationNanos()).isNull();
        assertThat(line.doneReason()).isNull();
    }

    @Test
    @DisplayName("thinking, errors of both shapes, escapes and non-ASCII text")
    void thinkingErrorsAndText() throws Exception {
        parse("{\"response\":\"\",\"thinking\":\"hmm\",\"done\":false}");
        assertThat(line.thinking()).isEqualTo("hmm");
        parse("{\"error\":\"a\\nb\"}");
        assertThat(line.error()).isEqualTo("a\nb");
        parse("{\"error\":{\"message\":\"model 'x' not found\",\"type\":\"not_found_error\",\"param\":null}}");
        assertThat(line.error()).isEqualTo("model 'x' not found");
        parse("{\"response\":\"\\u003cb\\u003e \u043a\u043e \u2603\",\"done\":false}");
        assertThat(line.content()).isEqualTo("<b> \u043a\u043e \u2603");
    }

    @Test
    @DisplayName("blank lines are skipped; one parser serves many lines")
    void blankAndReuse() throws Exception {
        assertThat(parse("  \r")).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(parse("{\"response\":\"t" + i + "\",\"done\":false}")).isTrue();
            assertThat(line.content()).isEqualTo("t" + i);
        }
    }

    @Test
    @DisplayName("truncated objects, two objects, arrays and invalid UTF-8 are malformed")
    void malformed() {
        assertThatThrownBy(() -> parse("{\"response\":\"to")).isInstanceOf(LineParser.MalformedLineException.class);
        assertThatThrownBy(() -> new LineParser().parse(b("{}{}"), 0, 4, line))
                .isInstanceOf(LineParser.MalformedLineException.class);
        assertThatThrownBy(() -> new LineParser().parse(b("[1]"), 0, 3, line))
                .isInstanceOf(LineParser.MalformedLineException.class);
        byte[] invalid = {'{', '"', 'r', 'e', 's', 'p', 'o', 'n', 's', 'e', '"', ':', '"', (byte) 0xFF, '"', '}'};
        assertThatThrownBy(() -> new LineParser().parse(invalid, 0, invalid.length, line))
                .isInstanceOf(LineParser.MalformedLineException.class);
        byte[] truncatedSequence = {'{', '"', 'r', 'e', 's', 'p', 'o', 'n', 's', 'e', '"', ':', '"', (byte) 0xE2,
            (byte) 0x82, '"', '}'};
        assertThatThrownBy(() -> new LineParser().parse(truncatedSequence, 0, truncatedSequence.length, line))
                .isInstanceOf(LineParser.MalformedLineException.class);
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
