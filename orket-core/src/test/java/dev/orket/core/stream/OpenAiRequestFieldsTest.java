package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.RunRequest;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The shared OpenAI-compatible request fields are written exactly, in order, and only when the run sets them. */
class OpenAiRequestFieldsTest {

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String object(Fields fields) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonValues.factory().createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }
        return out.toString();
    }

    @Test
    @DisplayName("the prompt is the one user message, escaped as JSON")
    void messages() throws IOException {
        assertThat(object(g -> OpenAiRequestFields.messages(g, "Say \"hi\"\n")))
                .isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"Say \\\"hi\\\"\\n\"}]}");
    }

    @Test
    @DisplayName("a stream asks for the usage chunk; a whole body does not")
    void stream() throws IOException {
        assertThat(object(g -> OpenAiRequestFields.stream(g, true)))
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(object(g -> OpenAiRequestFields.stream(g, false))).isEqualTo("{\"stream\":false}");
    }

    @Test
    @DisplayName("seed, temperature and stop sequences go in only when the run sets them")
    void sampling() throws IOException {
        RunRequest set = RunRequest.builder("r1", "m", "p").seed(42L).temperature(0.5)
                .stopSequences(List.of("\n\n", "END")).build();
        assertThat(object(g -> OpenAiRequestFields.sampling(g, set)))
                .isEqualTo("{\"seed\":42,\"temperature\":0.5,\"stop\":[\"\\n\\n\",\"END\"]}");
        RunRequest unset = RunRequest.builder("r2", "m", "p").build();
        assertThat(object(g -> OpenAiRequestFields.sampling(g, unset))).isEqualTo("{}");
    }
}
