package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import dev.orket.api.TerminalState;
import dev.orket.simulator.internal.JsonTree;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fault script of every dialect and mode, checked on the wire (the reference provider covers llama.cpp native end to end). */
class FaultScriptsTest {

    static Stream<FaultScript> allFaults() {
        List<FaultScript> all = new ArrayList<>();
        for (ServerDialect dialect : ServerDialect.builtIn()) {
            for (boolean stream : new boolean[] {true, false}) {
                all.addAll(Fault.all(dialect, stream, Answer.fixture("tiny-random-llama:q4_k_m"), ScriptTimeline.DEFAULT));
            }
        }
        return all.stream();
    }

    @Test
    @DisplayName("every fault applies to at least one dialect and mode")
    void everyFaultIsUsed() {
        Set<Fault> used = EnumSet.noneOf(Fault.class);
        allFaults().forEach(f -> used.add(f.fault()));
        for (Fault fault : Fault.values()) {
            if (fault.isAdmin()) {
                assertThat(used).as("an admin fault is no run's").doesNotContain(fault);
                assertThat(fault.adminScript()).isNotNull();
                used.add(fault);
            }
        }
        assertThat(used).containsExactlyInAnyOrder(Fault.values());
    }

    @Test
    @DisplayName("the refused-connection URI refuses connections")
    void refused() {
        URI uri = Faults.refusedConnectionUri();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket(uri.getHost(), uri.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    @DisplayName("the admin faults serve headers then silence, and a valid JSON body over the cap")
    void adminFaults() throws IOException {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(request -> Fault.STALLED_ADMIN_BODY.adminScript());
            byte[] stalled = RawHttp.exchange(server.baseUri(), "GET /api/tags HTTP/1.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII), 300, 2000);
            RecordedResponse head = RawHttp.parseHead(stalled);
            assertThat(head.status()).isEqualTo(200);
            assertThat(Long.parseLong(head.header("Content-Length"))).isEqualTo(4096);
            String text = new String(stalled, StandardCharsets.ISO_8859_1);
            assertThat(text.substring(text.indexOf("\r\n\r\n") + 4)).isEqualTo("{\"models\":[");

            server.setDispatcher(request -> Fault.HUGE_ADMIN_BODY.adminScript());
            byte[] huge = RawHttp.exchange(server.baseUri(), "GET /health HTTP/1.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII), 5000);
            RecordedResponse response = RawHttp.parse(huge);
            assertThat(response.body().length).isGreaterThan(dev.orket.core.stream.HttpTransport.DEFAULT_MAX_ADMIN_BODY_BYTES);
            assertThat(JsonTree.parseObject(new String(response.body(), StandardCharsets.US_ASCII))).containsKey("models");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFaults")
    @DisplayName("serves what the fault says")
    void servesTheFault(FaultScript fault) throws IOException {
        if (fault.script() == null) {
            assertThat(fault.failureKind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
            return;
        }
        byte[] raw;
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(new dev.orket.simulator.VirtualClock())) {
            server.enqueue(fault.script());
            raw = RawHttp.exchange(server.baseUri(), "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
                    .getBytes(StandardCharsets.US_ASCII), fault.needsClientTimeout() ? 300 : 5000, 700);
        }
        String head = new String(raw, 0, Math.min(raw.length, 200), StandardCharsets.ISO_8859_1);
        switch (fault.fault()) {
            case STALL_BEFORE_HEADERS:
            case CLOSE_BEFORE_HEADERS:
                assertThat(raw).isEmpty();
                return;
            case HTTP_400:
            case HTTP_404:
            case HTTP_500:
            case HTTP_503:
            case PROXY_HTML_502:
                assertThat(head).startsWith("HTTP/1.1 " + fault.httpStatus() + " ");
                RecordedResponse error = RawHttp.parse(raw);
                String body = new String(error.body(), StandardCharsets.UTF_8);
                if (fault.fault() == Fault.PROXY_HTML_502) {
                    assertThat(error.header("Content-Type")).isEqualTo("text/html");
                    assertThat(body).contains("<title>502 Bad Gateway</title>");
                } else {
                    assertThat(JsonTree.parseObject(body)).containsKey("error");
                }
                return;
            default:
                break;
        }
        assertThat(head).startsWith("HTTP/1.1 200 OK");
        byte[] body = dechunkLeniently(raw, fault.stream());
        List<byte[]> lines = lines(body);
        switch (fault.fault()) {
            case STALL_MID_STREAM:
                assertThat(new String(raw, StandardCharsets.UTF_8)).doesNotEndWith("0\r\n\r\n");
                assertThat(lines).hasSize(3 + (fault.dialect() == ServerDialect.LLAMACPP_CHAT ? 1 : 0));
                break;
            case CLOSE_MID_STREAM:
                assertThat(new String(raw, StandardCharsets.UTF_8)).doesNotEndWith("0\r\n\r\n");
                if (!fault.stream()) {
                    RecordedResponse response = RawHttp.parseHead(raw);
                    assertThat(Long.parseLong(response.header("Content-Length"))).isGreaterThan(body.length);
                }
                break;
            case CLOSE_MID_CHUNK:
                // The last chunk's header declares more bytes than came before the close.
                String wire = new String(raw, StandardCharsets.UTF_8);
                int declared = Integer.parseInt(wire.substring(wire.lastIndexOf("\r\n", wire.lastIndexOf("\r\n") - 1) + 2,
                        wire.lastIndexOf("\r\n")), 16);
                assertThat(wire.length() - wire.lastIndexOf("\r\n") - 2).isLessThan(declared);
                assertThat(wire).doesNotEndWith("0\r\n\r\n");
                assertThat(lines).hasSize(3 + (fault.dialect() == ServerDialect.LLAMACPP_CHAT ? 1 : 0));
                break;
            case MALFORMED_JSON_EVENT:
                assertThat(lines.stream().anyMatch(line -> !parses(line))).isTrue();
                break;
            case ERROR_EVENT_MID_STREAM:
                assertThat(JsonTree.parseObject(payload(lines.get(lines.size() - 1)))).containsKey("error");
                break;
            case MISSING_TIMINGS:
                assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain("timings", "eval_duration")
                        .containsAnyOf("tokens_predicted", "completion_tokens", "eval_count");
                break;
            case MISSING_USAGE_AND_TIMINGS:
                assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain("timings", "eval_duration",
                        "tokens_predicted", "completion_tokens", "eval_count");
                break;
            case DURATIONS_IN_MILLISECONDS:
                Object last = JsonTree.parse(payload(lines.get(lines.size() - 1)));
                assertThat(((Number) JsonTree.at(last, "eval_duration")).longValue()).isEqualTo(150L);
                assertThat(((Number) JsonTree.at(last, "prompt_eval_duration")).longValue()).isEqualTo(34L);
                break;
            case ABSURD_NUMBERS:
                String text = new String(body, StandardCharsets.UTF_8);
                assertThat(text).contains("1.7e308");
                assertThat(text).containsAnyOf("9000000000000000000", "9e18");
                assertThat(text).containsAnyOf("1e-320", "\"prompt_eval_duration\":-5");
                break;
            case DUPLICATED_DONE:
                assertThat(lines.stream().filter(l -> payload(l).equals("[DONE]")).count()).isEqualTo(2);
                break;
            case NO_DONE:
                assertThat(lines.stream().filter(l -> payload(l).equals("[DONE]")).count()).isZero();
                assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"usage\"");
                break;
            case ENDS_WITHOUT_FINAL_EVENT:
                assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain("\"stop\":true", "\"done\":true",
                        "finish_reason\":\"", "[DONE]");
                break;
            case OVERSIZED_EVENT:
                assertThat(lines.stream().mapToInt(l -> l.length).max().orElse(0)).isGreaterThan(Fault.EVENT_LINE_LIMIT_BYTES);
                break;
            case INVALID_UTF8:
                assertThat(validUtf8(body)).isFalse();
                break;
            case KEEP_ALIVE_DRIP:
                // Three tokens, then only keep-alives (SSE comments or blank lines) for as long as the client listens.
                assertThat(new String(raw, StandardCharsets.UTF_8)).doesNotEndWith("0\r\n\r\n");
                assertThat(lines.stream().filter(l -> !payload(l).startsWith(":")).count())
                        .isEqualTo(3 + (fault.dialect() == ServerDialect.LLAMACPP_CHAT ? 1 : 0));
                assertThat(countKeepAlives(body, fault.dialect())).isGreaterThan(3);
                break;
            case SLOW_TOKENS:
                // In 700 ms at one token per 200 ms: the first at once, then a few more, and no end.
                assertThat(new String(raw, StandardCharsets.UTF_8)).doesNotEndWith("0\r\n\r\n");
                assertThat(lines.size()).isBetween(2, 7);
                break;
            case ENDLESS_TOKENS:
                long tokens = lines.stream().filter(FaultScriptsTest::parses).count();
                assertThat(tokens).isGreaterThan(dev.orket.core.stream.RunEvents.outputTokenCeiling(16));
                break;
            default:
                throw new AssertionError(fault);
        }
        assertThat(fault.terminalState() == TerminalState.FAILED || lines.stream().allMatch(FaultScriptsTest::parses))
                .isTrue();
    }

    private static long countKeepAlives(byte[] body, ServerDialect dialect) {
        String text = new String(body, StandardCharsets.UTF_8);
        String keepAlive = dialect.server().equals("ollama") ? "\n\n" : ":\n\n";
        long count = 0;
        for (int at = text.indexOf(keepAlive); at >= 0; at = text.indexOf(keepAlive, at + 1)) {
            count++;
        }
        return count;
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String payload(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        return text.startsWith("data: ") ? text.substring(6) : text;
    }

    private static boolean parses(byte[] line) {
        String payload = payload(line);
        if (payload.equals("[DONE]")) {
            return true;
        }
        try {
            JsonTree.parse(payload);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Non-empty lines of an SSE or NDJSON body. */
    private static List<byte[]> lines(byte[] body) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (i > start) {
                    lines.add(Arrays.copyOfRange(body, start, i));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    /** The body after the head; chunks joined as far as they are complete. */
    private static byte[] dechunkLeniently(byte[] raw, boolean chunked) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n\r\n") + 4;
        if (!chunked) {
            return Arrays.copyOfRange(raw, start, raw.length);
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        int position = start;
        while (position < raw.length) {
            int lineEnd = text.indexOf("\r\n", position);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(text.substring(position, lineEnd), 16);
            if (size == 0 || lineEnd + 2 + size > raw.length) {
                break;
            }
            body.write(raw, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
        return body.toByteArray();
    }
}
