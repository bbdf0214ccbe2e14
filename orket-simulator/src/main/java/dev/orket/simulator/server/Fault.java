package dev.orket.simulator.server;

import dev.orket.api.FailureKind;
import dev.orket.api.RunQualityReason;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.core.stream.HttpTransport;
import dev.orket.core.stream.RunEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The faults the scripted server injects. {@link #script} builds the fault for a dialect and mode, or
 * says it does not apply (e.g. {@link #DUPLICATED_DONE} exists only where {@code [DONE]} does). The
 * list with the expected outcome of each is in {@code docs/testkit.md}.
 *
 * @since 0.1
 */
public enum Fault {
    /** Nothing listens on the port: {@code CONNECTION_REFUSED}. */
    REFUSE_CONNECTION,
    /** The request is read, then nothing is sent: {@code TIMEOUT} by the client's deadline. */
    STALL_BEFORE_HEADERS,
    /** Three tokens, then silence past the client's deadline: {@code TIMEOUT}. Streaming only. */
    STALL_MID_STREAM,
    /** Three tokens (non-streaming: half the declared body), then the socket closes: {@code CONNECTION_CLOSED}. */
    CLOSE_MID_STREAM,
    /**
     * Three tokens, then the header of a chunk holding the next event and only half its bytes, then the socket closes:
     * {@code CONNECTION_CLOSED}, the three chunks counted, the half event never reported. Streaming only.
     */
    CLOSE_MID_CHUNK,
    /** The request is read, then the socket closes without a byte of response: {@code CONNECTION_CLOSED}, no status. */
    CLOSE_BEFORE_HEADERS,
    /** A syntactically broken JSON event (non-streaming: body): {@code MALFORMED_RESPONSE}. */
    MALFORMED_JSON_EVENT,
    /** Three tokens, then the server's error event ({@code data: {"error":{...}}} / {@code {"error":"..."}}): {@code STREAM_ERROR}. Streaming only. */
    ERROR_EVENT_MID_STREAM,
    /** HTTP 400 with the server's real body: {@code INVALID_REQUEST}. */
    HTTP_400,
    /** HTTP 404 with the server's real body: llama.cpp {@code NOT_FOUND}, Ollama {@code MODEL_NOT_FOUND}. */
    HTTP_404,
    /** HTTP 500 with the server's real body: {@code SERVER_ERROR}. */
    HTTP_500,
    /** HTTP 503 with the server's real body: llama.cpp {@code MODEL_LOADING}, Ollama {@code SERVER_BUSY}. */
    HTTP_503,
    /** Counts but no durations: completes, {@code TIMING_UNAVAILABLE}, {@code MISSING_TOKEN_TIMINGS}. */
    MISSING_TIMINGS,
    /** Neither counts nor durations: completes, {@code TOKEN_AND_TIMING_UNAVAILABLE}, {@code MISSING_TOKEN_TIMINGS}. */
    MISSING_USAGE_AND_TIMINGS,
    /** Ollama durations in milliseconds where nanoseconds are expected: completes, {@code UNIT_ANOMALY}. Ollama only. */
    DURATIONS_IN_MILLISECONDS,
    /**
     * Numbers no real server sends (a duration of 1.7e308 ms or 1e-320 ms, a negative one, an output count of 9e18):
     * completes, {@code TOKEN_AND_TIMING_UNAVAILABLE}, {@code IMPLAUSIBLE_SERVER_VALUE}, never valid, never an
     * exception.
     */
    ABSURD_NUMBERS,
    /** {@code data: [DONE]} twice: completes normally. OpenAI-compatible streaming only. */
    DUPLICATED_DONE,
    /** Finish and usage chunks but no {@code [DONE]}: {@code INCOMPLETE_RESPONSE}. OpenAI-compatible streaming only. */
    NO_DONE,
    /** Every token, then the body ends without the final event: {@code INCOMPLETE_RESPONSE}. Streaming only. */
    ENDS_WITHOUT_FINAL_EVENT,
    /** Three tokens, then one event line larger than 8 MiB: {@code RESPONSE_TOO_LARGE}. Streaming only. */
    OVERSIZED_EVENT,
    /** Invalid UTF-8 ({@code C3 28}) inside a JSON string: {@code MALFORMED_RESPONSE}. */
    INVALID_UTF8,
    /** 502 {@code text/html} error page from a proxy (nginx): {@code MALFORMED_RESPONSE} with status 502. */
    PROXY_HTML_502,
    /**
     * Three tokens, then a keep-alive (an SSE comment, an Ollama blank line) every {@link #KEEP_ALIVE_EVERY}, forever:
     * bytes keep coming, so only the whole-run deadline ends it: {@code TIMEOUT}, the three chunks counted.
     * Streaming only.
     */
    KEEP_ALIVE_DRIP,
    /**
     * One token every {@link #SLOW_TOKEN_EVERY} of real time, forever: each within the idle gap, so only the
     * whole-run deadline ends it: {@code TIMEOUT}, the tokens so far counted. Streaming only.
     */
    SLOW_TOKENS,
    /**
     * A server that ignores its token limit: token after token past the run's {@code max_output_tokens} (the
     * answer's length): {@code RESPONSE_TOO_LARGE} exactly when the stream passes
     * {@link RunEvents#outputTokenCeiling(int)}, with that many chunks plus one counted. Streaming only.
     */
    ENDLESS_TOKENS,
    /**
     * Outside runs: every admin call ({@code /health}, {@code /props}, {@code /v1/models}, {@code /api/version},
     * {@code /api/tags}, {@code /api/ps}, {@code /api/show}, an unload) gets its headers and a few body bytes,
     * then silence: the admin deadline on the whole exchange ends each call. See {@link #adminScript}.
     */
    STALLED_ADMIN_BODY,
    /**
     * Outside runs: every admin call gets a valid JSON body larger than the cap on bodies read whole
     * ({@link HttpTransport#DEFAULT_MAX_ADMIN_BODY_BYTES}): the call fails naming the endpoint and the cap.
     * See {@link #adminScript}.
     */
    HUGE_ADMIN_BODY;

    /** How often {@link #KEEP_ALIVE_DRIP} sends a keep-alive: 50 ms. */
    public static final Duration KEEP_ALIVE_EVERY = Duration.ofMillis(50);

    /**
     * How often {@link #SLOW_TOKENS} sends a token: 200 ms (the reported server sent one a second; faster here so
     * a contract's short deadline sees several, each well inside the idle gap).
     */
    public static final Duration SLOW_TOKEN_EVERY = Duration.ofMillis(200);

    /** How long a drip lasts at most, so that a client without a whole-run deadline fails instead of hanging: 30 s. */
    public static final Duration DRIP_LIMIT = Duration.ofSeconds(30);

    /** The size limit of one event line the faults are built around: 8 MiB. */
    public static final int EVENT_LINE_LIMIT_BYTES = 8 * 1024 * 1024;

    /** The HTML page of {@link #PROXY_HTML_502}. */
    public static final String PROXY_502_PAGE = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n";

    private static final int TOKENS_BEFORE_FAULT = 3;

    /** Whether this fault hits the calls outside runs ({@link #adminScript}) rather than a run ({@link #script}). */
    public boolean isAdmin() {
        return this == STALLED_ADMIN_BODY || this == HUGE_ADMIN_BODY;
    }

    /**
     * The answer to every admin call for an admin fault: headers and a few bytes of a declared 4 KiB body, then
     * silence ({@link #STALLED_ADMIN_BODY}); or a valid JSON object 64 KiB over the cap ({@link #HUGE_ADMIN_BODY}).
     *
     * @throws IllegalStateException for a fault that is not {@link #isAdmin()}
     */
    public Script adminScript() {
        switch (this) {
            case STALLED_ADMIN_BODY:
                return Script.builder(200).name("stalled-admin-body").header("Content-Type", "application/json")
                        .declaredContentLength(4096).head(Duration.ZERO, Await.NOTHING)
                        .data(Duration.ZERO, "{\"models\":[", Await.NOTHING)
                        .stall(Duration.ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build();
            case HUGE_ADMIN_BODY:
                return Script.builder(200).name("huge-admin-body").header("Content-Type", "application/json")
                        .head(Duration.ZERO, Await.NOTHING).data(Duration.ZERO, HugeBody.BYTES, Await.NOTHING)
                        .end(Duration.ZERO, Await.NOTHING).build();
            default:
                throw new IllegalStateException(this + " is not an admin fault; use script(...)");
        }
    }

    /** The body of {@link #HUGE_ADMIN_BODY}, built once: what an admin call would accept if it had no cap. */
    private static final class HugeBody {
        static final byte[] BYTES = build();

        private static byte[] build() {
            String open = "{\"status\":\"ok\",\"version\":\"0.0.0\",\"models\":[],\"data\":[],\"pad\":\"";
            String close = "\"}";
            byte[] bytes = new byte[HttpTransport.DEFAULT_MAX_ADMIN_BODY_BYTES + 64 * 1024];
            Arrays.fill(bytes, (byte) 'x');
            byte[] head = open.getBytes(StandardCharsets.US_ASCII);
            byte[] tail = close.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, bytes, 0, head.length);
            System.arraycopy(tail, 0, bytes, bytes.length - tail.length, tail.length);
            return bytes;
        }
    }

    /**
     * The fault for a dialect and mode, or empty when it does not apply (admin faults never apply to a run). The
     * answer needs at least four tokens; runs ask for {@code answer.outputTokens()} tokens.
     */
    public Optional<FaultScript> script(ServerDialect dialect, boolean stream, Answer answer, ScriptTimeline timeline) {
        if (answer.outputTokens() <= TOKENS_BEFORE_FAULT) {
            throw new IllegalArgumentException("fault scripts need an answer of at least " + (TOKENS_BEFORE_FAULT + 1)
                    + " tokens but it had " + answer.outputTokens());
        }
        Duration cut = timeline.tokenAt(TOKENS_BEFORE_FAULT);
        Duration end = timeline.endAt(answer.outputTokens());
        Set<TokenMetricsStatus> failedStatus = EnumSet.of(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE);
        Set<TokenMetricsStatus> ok = EnumSet.of(TokenMetricsStatus.OK);
        String name = name().toLowerCase(java.util.Locale.ROOT) + "-" + dialect.name().toLowerCase(java.util.Locale.ROOT)
                + (stream ? "-stream" : "-nonstream");
        switch (this) {
            case REFUSE_CONNECTION:
                return expect(dialect, stream, null, FailureKind.CONNECTION_REFUSED, null, Duration.ZERO, false);
            case STALL_BEFORE_HEADERS:
                return expect(dialect, stream, Script.builder(200).name(name)
                        .stall(timeline.headersAt(), ScriptedInferenceServer.UNTIL_DISCONNECT).build(),
                        FailureKind.TIMEOUT, null, timeline.headersAt(), true);
            case STALL_MID_STREAM:
                if (!stream) {
                    return Optional.empty();
                }
                return expect(dialect, true, opening(dialect, answer, timeline).name(name)
                        .stall(cut, ScriptedInferenceServer.UNTIL_DISCONNECT).build(), FailureKind.TIMEOUT, 200, cut, true);
            case CLOSE_MID_STREAM:
                if (stream) {
                    return expect(dialect, true, opening(dialect, answer, timeline).name(name)
                            .disconnect(cut, Await.TERMINAL).build(), FailureKind.CONNECTION_CLOSED, 200, cut, false);
                } else {
                    byte[] body = dialect.nonStreamingBody(answer, timeline, Shape.NORMAL);
                    return expect(dialect, false, DialectScripts.successHead(dialect, false).name(name)
                            .declaredContentLength(body.length).head(end, Await.NOTHING).data(end, Arrays.copyOf(body, body.length / 2), Await.NOTHING)
                            .disconnect(end, Await.TERMINAL).build(), FailureKind.CONNECTION_CLOSED, 200, end, false);
                }
            case CLOSE_MID_CHUNK:
                if (!stream) {
                    return Optional.empty();
                }
                byte[] next = dialect.tokenEvent(answer, TOKENS_BEFORE_FAULT, timeline, Shape.NORMAL);
                byte[] cutChunk = DialectScripts.concat(DialectScripts.utf8(Integer.toHexString(next.length) + "\r\n"),
                        Arrays.copyOf(next, next.length / 2));
                return Optional.of(new FaultScript(this, dialect, true, opening(dialect, answer, timeline).name(name)
                        .raw(cut, cutChunk, Await.NOTHING).disconnect(cut, Await.TERMINAL).build(), TerminalState.FAILED,
                        FailureKind.CONNECTION_CLOSED, 200, null,
                        EnumSet.of(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE), cut, false, TOKENS_BEFORE_FAULT,
                        (long) TOKENS_BEFORE_FAULT));
            case CLOSE_BEFORE_HEADERS:
                return expect(dialect, stream, Script.builder(200).name(name).disconnect(timeline.headersAt(),
                        Await.TERMINAL).build(), FailureKind.CONNECTION_CLOSED, null, timeline.headersAt(), false);
            case MALFORMED_JSON_EVENT:
                if (stream) {
                    return expect(dialect, true, opening(dialect, answer, timeline).name(name)
                            .data(cut, dialect.malformedEvent(), Await.TERMINAL).end(cut, Await.NOTHING).build(),
                            FailureKind.MALFORMED_RESPONSE, 200, cut, false);
                } else {
                    byte[] body = dialect.nonStreamingBody(answer, timeline, Shape.NORMAL);
                    return expect(dialect, false, nonStreamingWith(dialect, name, Arrays.copyOf(body, body.length / 2), end),
                            FailureKind.MALFORMED_RESPONSE, 200, end, false);
                }
            case ERROR_EVENT_MID_STREAM:
                if (!stream) {
                    return Optional.empty();
                }
                return expect(dialect, true, opening(dialect, answer, timeline).name(name)
                        .data(cut, dialect.errorEvent(), Await.NOTHING).end(cut, Await.TERMINAL).build(),
                        FailureKind.STREAM_ERROR, 200, cut, false);
            case HTTP_400:
            case HTTP_404:
            case HTTP_500:
            case HTTP_503:
                int status = Integer.parseInt(name().substring(5));
                ServerDialect.HttpError error = dialect.httpError(status);
                return expect(dialect, stream, DialectScripts.errorScript(dialect, name, error, timeline.headersAt()),
                        error.failureKind(), error.status(), timeline.headersAt(), false);
            case MISSING_TIMINGS:
                if (!dialect.supports(Shape.NO_TIMINGS)) {
                    return Optional.empty();
                }
                return completes(dialect, stream, dialect.script(stream, answer, timeline, Shape.NO_TIMINGS).named(name),
                        RunQualityReason.MISSING_TOKEN_TIMINGS, EnumSet.of(TokenMetricsStatus.TIMING_UNAVAILABLE), end);
            case MISSING_USAGE_AND_TIMINGS:
                if (!dialect.supports(Shape.NO_COUNTS_NO_TIMINGS)) {
                    return Optional.empty();
                }
                return completes(dialect, stream,
                        dialect.script(stream, answer, timeline, Shape.NO_COUNTS_NO_TIMINGS).named(name),
                        RunQualityReason.MISSING_TOKEN_TIMINGS,
                        EnumSet.of(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE), end);
            case DURATIONS_IN_MILLISECONDS:
                if (!dialect.supports(Shape.DURATIONS_IN_MS)) {
                    return Optional.empty();
                }
                return completes(dialect, stream,
                        dialect.script(stream, answer, timeline, Shape.DURATIONS_IN_MS).named(name),
                        RunQualityReason.UNIT_ANOMALY, ok, end);
            case ABSURD_NUMBERS:
                if (!dialect.supports(Shape.ABSURD_NUMBERS)) {
                    return Optional.empty();
                }
                return completes(dialect, stream,
                        dialect.script(stream, answer, timeline, Shape.ABSURD_NUMBERS).named(name),
                        RunQualityReason.IMPLAUSIBLE_SERVER_VALUE,
                        EnumSet.of(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE), end);
            case DUPLICATED_DONE:
                if (!stream || !dialect.supports(Shape.DUPLICATED_DONE)) {
                    return Optional.empty();
                }
                return completes(dialect, true, dialect.script(true, answer, timeline, Shape.DUPLICATED_DONE).named(name),
                        null, ok, end);
            case NO_DONE:
                if (!stream || !dialect.supports(Shape.NO_DONE)) {
                    return Optional.empty();
                }
                // The usage chunk came before the missing [DONE]: recording its figures or not are both correct.
                return Optional.of(new FaultScript(this, dialect, true,
                        dialect.script(true, answer, timeline, Shape.NO_DONE).named(name), TerminalState.FAILED,
                        FailureKind.INCOMPLETE_RESPONSE, 200, null,
                        EnumSet.of(TokenMetricsStatus.OK, TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE), end, false));
            case ENDS_WITHOUT_FINAL_EVENT:
                if (!stream) {
                    return Optional.empty();
                }
                return expect(dialect, true, DialectScripts.streamOpening(dialect, answer, timeline, answer.outputTokens())
                        .name(name).end(end, Await.TERMINAL).build(), FailureKind.INCOMPLETE_RESPONSE, 200, end, false);
            case OVERSIZED_EVENT:
                if (!stream) {
                    return Optional.empty();
                }
                byte[] huge = new byte[EVENT_LINE_LIMIT_BYTES + 1024];
                Arrays.fill(huge, (byte) 'a');
                return expect(dialect, true, opening(dialect, answer, timeline).name(name)
                        .data(cut, dialect.rawTokenEvent(huge), Await.TERMINAL).end(cut, Await.NOTHING).build(),
                        FailureKind.RESPONSE_TOO_LARGE, 200, cut, false);
            case INVALID_UTF8:
                byte[] invalid = {'x', (byte) 0xC3, (byte) 0x28, 'y'};
                if (stream) {
                    return expect(dialect, true, opening(dialect, answer, timeline).name(name)
                            .data(cut, dialect.rawTokenEvent(invalid), Await.TERMINAL).end(cut, Await.NOTHING).build(),
                            FailureKind.MALFORMED_RESPONSE, 200, cut, false);
                } else {
                    byte[] body = dialect.nonStreamingBody(answer, timeline, Shape.NORMAL);
                    return expect(dialect, false, nonStreamingWith(dialect, name, insertInFirstString(body, invalid), end),
                            FailureKind.MALFORMED_RESPONSE, 200, end, false);
                }
            case KEEP_ALIVE_DRIP:
                if (!stream) {
                    return Optional.empty();
                }
                return timedOut(dialect, opening(dialect, answer, timeline).name(name)
                        .drip(cut, dialect.keepAlive(), KEEP_ALIVE_EVERY, DRIP_LIMIT).end(cut, Await.NOTHING).build(),
                        cut, TOKENS_BEFORE_FAULT, (long) TOKENS_BEFORE_FAULT);
            case SLOW_TOKENS:
                if (!stream) {
                    return Optional.empty();
                }
                Duration first = timeline.firstTokenAt();
                Script.Builder slow = DialectScripts.streamOpening(dialect, answer, timeline, 0).name(name);
                return timedOut(dialect, slow.drip(first, dialect.tokenEvent(answer, 0, timeline, Shape.NORMAL),
                        SLOW_TOKEN_EVERY, DRIP_LIMIT).end(first, Await.NOTHING).build(), first, 1, null);
            case ENDLESS_TOKENS:
                if (!stream) {
                    return Optional.empty();
                }
                int ceiling = (int) RunEvents.outputTokenCeiling(answer.outputTokens());
                Script.Builder endless = DialectScripts.streamOpening(dialect, answer, timeline, answer.outputTokens())
                        .name(name);
                for (int i = answer.outputTokens(); i < ceiling + 64; i++) {
                    // The token that passes the ceiling ends the run: the server waits for that, not for content.
                    endless.data(timeline.tokenAt(i), dialect.tokenEvent(answer, i % answer.outputTokens(), timeline,
                            Shape.NORMAL), i == ceiling ? Await.TERMINAL : Await.CONTENT);
                }
                Duration over = timeline.tokenAt(ceiling);
                return Optional.of(new FaultScript(this, dialect, true, endless.end(timeline.tokenAt(ceiling + 64),
                        Await.NOTHING).build(), TerminalState.FAILED, FailureKind.RESPONSE_TOO_LARGE, 200, null,
                        failedStatus, over, false, ceiling + 1L, ceiling + 1L));
            case STALLED_ADMIN_BODY:
            case HUGE_ADMIN_BODY:
                return Optional.empty();
            case PROXY_HTML_502:
                return expect(dialect, stream, Script.builder(502).name(name).header("Server", "nginx/1.24.0")
                        .header("Content-Type", "text/html").head(timeline.headersAt(), Await.NOTHING)
                        .data(timeline.headersAt(), PROXY_502_PAGE.getBytes(StandardCharsets.US_ASCII), Await.NOTHING)
                        .end(timeline.headersAt(), Await.TERMINAL).build(), FailureKind.MALFORMED_RESPONSE, 502,
                        timeline.headersAt(), false);
            default:
                throw new AssertionError(this);
        }
    }

    /** Every fault that applies to the dialect and mode. */
    public static java.util.List<FaultScript> all(ServerDialect dialect, boolean stream, Answer answer,
            ScriptTimeline timeline) {
        java.util.List<FaultScript> scripts = new java.util.ArrayList<>();
        for (Fault fault : values()) {
            fault.script(dialect, stream, answer, timeline).ifPresent(scripts::add);
        }
        return scripts;
    }

    private Optional<FaultScript> expect(ServerDialect dialect, boolean stream, @org.jspecify.annotations.Nullable Script script,
            FailureKind kind, @org.jspecify.annotations.Nullable Integer httpStatus, Duration wall, boolean timeout) {
        return Optional.of(new FaultScript(this, dialect, stream, script, TerminalState.FAILED, kind, httpStatus, null,
                EnumSet.of(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE), wall, timeout));
    }

    private Optional<FaultScript> timedOut(ServerDialect dialect, Script script, Duration wall, long minChunks,
            @org.jspecify.annotations.Nullable Long chunks) {
        return Optional.of(new FaultScript(this, dialect, true, script, TerminalState.FAILED, FailureKind.TIMEOUT, 200,
                null, EnumSet.of(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE), wall, true, minChunks, chunks));
    }

    private Optional<FaultScript> completes(ServerDialect dialect, boolean stream, Script script,
            @org.jspecify.annotations.Nullable RunQualityReason reason, Set<TokenMetricsStatus> statuses, Duration wall) {
        return Optional.of(new FaultScript(this, dialect, stream, script, TerminalState.COMPLETED, null, 200, reason,
                statuses, wall, false));
    }

    /** The opening of a stream up to the fault: head, preamble and the first tokens. */
    private static Script.Builder opening(ServerDialect dialect, Answer answer, ScriptTimeline timeline) {
        return DialectScripts.streamOpening(dialect, answer, timeline, TOKENS_BEFORE_FAULT);
    }

    private static Script nonStreamingWith(ServerDialect dialect, String name, byte[] body, Duration at) {
        return DialectScripts.successHead(dialect, false).name(name).head(at, Await.NOTHING).data(at, body, Await.NOTHING)
                .end(at, Await.TERMINAL).build();
    }

    /** The body with the bytes inserted after the opening quote of the first string value. */
    private static byte[] insertInFirstString(byte[] json, byte[] bytes) {
        String text = new String(json, StandardCharsets.UTF_8);
        int colonQuote = text.indexOf(":\"");
        int position = new String(json, StandardCharsets.UTF_8).substring(0, colonQuote + 2)
                .getBytes(StandardCharsets.UTF_8).length;
        return DialectScripts.concat(Arrays.copyOf(json, position), bytes, Arrays.copyOfRange(json, position, json.length));
    }
}
