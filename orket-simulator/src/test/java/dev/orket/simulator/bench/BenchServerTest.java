package dev.orket.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.simulator.server.ServerDialect;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BenchServerTest {

    @Test
    @DisplayName("the benchmark's response is the dialect's stream of N tokens, one HTTP chunk per event")
    void response() {
        String llama = new String(BenchServer.response(ServerDialect.builtIn("LLAMACPP_COMPLETION"), 40),
                StandardCharsets.UTF_8);
        assertThat(llama).startsWith("HTTP/1.1 200 OK\r\nServer: llama.cpp\r\n")
                .contains("Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                .endsWith("\r\n0\r\n\r\n");
        assertThat(llama.split("\"stop\":false", -1)).hasSize(41);
        assertThat(llama.split("\"stop\":true", -1)).hasSize(2);
        String ollama = new String(BenchServer.response(ServerDialect.OLLAMA_GENERATE, 25), StandardCharsets.UTF_8);
        assertThat(ollama.split("\"done\":false", -1)).hasSize(26);
        assertThat(BenchServer.answer(25).text()).startsWith(String.join("", BenchServer.answer(16).tokens()));
    }
}
