package dev.orket.core.stream;

import dev.orket.api.ConfigurationException;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.RunRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP transport of every provider: a JDK {@code HttpClient} forced to HTTP/1.1 (no redirects), one per
 * provider instance, that runs measured exchanges ({@link #run}) and calls outside runs ({@link #get},
 * {@link #post}). A provider supplies only its request body and a {@link ResponseDecoder}.
 *
 * <p>A measured run reports, for every provider alike:
 *
 * <ul>
 *   <li>{@code ConnectStarted} when the request certainly opens a new connection, then {@code Connected} when the
 *       connection is ready and the request's head is about to be written; otherwise {@code ConnectionReused}.
 *       Connect time is {@code client_connect_ms}, never part of wall time or TTFT;
 *   <li>{@code RequestSent} when the body's last byte is handed to the transport: the origin of wall time and
 *       TTFT;
 *   <li>{@code ResponseStarted} with the status, then what the decoder makes of the body;
 *   <li>exactly one terminal event: the decoder's, or {@code Failed} for a transport failure (classified by
 *       {@link WireFailures}), an HTML page, a non-2xx status (the decoder may refine the baseline kind from the
 *       body), an event, line or body over its limit ({@code RESPONSE_TOO_LARGE}), output past the token
 *       ceiling ({@link RunEvents#outputTokenCeiling}), the whole-run deadline or the idle gap
 *       ({@code TIMEOUT}), or {@code Cancelled} when the caller cancels or interrupts.
 * </ul>
 *
 * <p>The whole-run deadline ({@link RunRequest#timeout()}) counts from the start of the exchange, connect
 * included; the idle gap ({@link RunRequest#idleGap()}) bounds the wait for the response's first bytes and every
 * silence between two pieces of the body. A byte is progress, so a server that drips keep-alive comments or one
 * token a second is ended by the deadline. When a run ends before its body did, the connection is closed (the
 * server stops generating and frees its slot); after a completed run the last bytes are read so the connection
 * can be reused.
 *
 * <p>Calls outside runs have a deadline on the whole exchange, headers and body ({@link ProviderConfig#adminTimeout()}),
 * and a body cap; a failure is an {@link AdminCallException} that names the endpoint and the bound.
 *
 * <p>Thread-safe: runs and calls may execute concurrently.
 *
 * @since 0.2
 */
public final class HttpTransport implements AutoCloseable {

    /** The default limit of one SSE event or line, in bytes: 8 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
    /** The default limit of a run's body read whole, in bytes: 64 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
    /** The default cap of a body read whole outside a run (props, model lists), in bytes: 16 MiB. */
    public static final int DEFAULT_MAX_ADMIN_BODY_BYTES = 16 * 1024 * 1024;
    /** How much of an error body is read to classify it, in bytes: 64 KiB. */
    public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final String serverName;
    private final String base;
    private final @Nullable String authorization;
    private final Duration adminTimeout;
    private final int maxFrameBytes;
    private final int maxBodyBytes;
    private final int maxAdminBodyBytes;
    private final ExecutorService executor;
    private final HttpClient client;
    private final ConnectionLedger ledger = new ConnectionLedger();

    private HttpTransport(Builder builder) {
        this.serverName = builder.serverName;
        String url = builder.config.baseUrl().toString();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.base = url + builder.pathPrefix;
        this.authorization = builder.config.apiKey() == null ? null : builder.config.apiKey().bearerHeaderValue();
        this.adminTimeout = builder.adminTimeout != null ? builder.adminTimeout : builder.config.adminTimeout();
        this.maxFrameBytes = builder.maxFrameBytes;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.maxAdminBodyBytes = builder.maxAdminBodyBytes;
        int number = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        String prefix = "orket-" + builder.threadLabel + "-" + number + "-http-";
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, prefix + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * A builder for a transport to the server of a provider configuration.
     *
     * @param config where the server is, the API key, the connect and admin deadlines
     * @param serverName the server as messages name it, e.g. {@code llama-server} or {@code Ollama}
     */
    public static Builder builder(ProviderConfig config, String serverName) {
        return new Builder(config, serverName);
    }

    /**
     * A provider setting that is a positive number of bytes (a provider's {@code max_event_bytes} or
     * {@code max_body_bytes}, handed to {@link Builder#maxFrameBytes} and {@link Builder#maxBodyBytes}).
     *
     * @param providerId the provider's id, as the message names it, e.g. {@code llamacpp}
     * @return the setting's value, or {@code defaultValue} when it is not set
     * @throws ConfigurationException when the value is not a positive int, naming the setting, the value and the
     *     default
     */
    public static int byteLimitSetting(ProviderConfig config, String providerId, String key, int defaultValue) {
        String value = config.setting(key, Integer.toString(defaultValue));
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(providerId + " setting '" + key + "' must be a positive number of bytes"
                    + " but was '" + value + "'; the default is " + defaultValue + ".");
        }
    }

    /** The base URL requests go to (with any path prefix), without a trailing slash. */
    public String baseUrl() {
        return base;
    }

    /** The deadline on the whole exchange of a call outside a run. */
    public Duration adminTimeout() {
        return adminTimeout;
    }

    /**
     * Runs one measured exchange to its terminal event on the caller's thread: {@code POST} of the body to the
     * path, the response decoded by the provider's decoder. Never throws for a failure of the server; rethrows
     * what the recorder threw (an illegal transition: a provider bug).
     *
     * @param request the run (its timeout, idle gap and output limit bound the exchange)
     * @param recorder the run's recorder
     * @param path the path after the base URL, e.g. {@code /completion}
     * @param body the JSON request body
     * @param accept the {@code Accept} header
     * @param decoders makes the run's decoder, given the run's guarded events
     */
    public void run(RunRequest request, RunRecorder recorder, String path, byte[] body, String accept,
            Function<RunEvents, ResponseDecoder> decoders) {
        RunEvents events = new RunEvents(recorder, request.maxOutputTokens());
        new StreamExchange(this, request, events, decoders.apply(events), path, body, accept, recorder).execute();
    }

    /**
     * {@code GET} of a path, read whole within the admin deadline and the body cap.
     *
     * @throws AdminCallException when the server cannot be reached, the exchange misses its deadline or the body
     *     passes the cap; a non-2xx answer is returned, not thrown
     */
    public AdminResponse get(String path) throws AdminCallException {
        return new AdminCall(this).call("GET", path, null);
    }

    /**
     * {@code POST} of a JSON body to a path, read whole within the admin deadline and the body cap.
     *
     * @throws AdminCallException as {@link #get}
     */
    public AdminResponse post(String path, byte[] jsonBody) throws AdminCallException {
        return new AdminCall(this).call("POST", path, Objects.requireNonNull(jsonBody, "jsonBody"));
    }

    /** Closes the client's connections and threads; the transport is unusable afterwards. */
    @Override
    public void close() {
        if (client instanceof AutoCloseable) {
            // HttpClient is AutoCloseable from Java 21 on; on 17 its threads end with the executor and the client.
            try {
                ((AutoCloseable) client).close();
            } catch (Exception e) {
                LOG.debug("closing the HTTP client failed: {}", e.toString());
            }
        }
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "HttpTransport[" + serverName + " at " + base + "]";
    }

    /** What was being done, for messages: {@code POST /completion on llama-server at http://127.0.0.1:8080}. */
    String where(String endpoint) {
        return endpoint + " on " + serverName + " at " + base;
    }

    String serverName() {
        return serverName;
    }

    HttpClient client() {
        return client;
    }

    ConnectionLedger ledger() {
        return ledger;
    }

    int maxFrameBytes() {
        return maxFrameBytes;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    int maxAdminBodyBytes() {
        return maxAdminBodyBytes;
    }

    /**
     * The header every measured request carries with its run id, e.g. {@code X-Orket-Run-Id: tiny/Q8_0/s1/r2}: servers
     * ignore it, their logs can show it (tying a server-side line to its run record), and the simulated quant family
     * keys its run-to-run jitter on it.
     */
    public static final String RUN_ID_HEADER = "X-Orket-Run-Id";

    /**
     * The run id as a header value: printable ASCII as is, every other character (non-ASCII, control characters,
     * {@code %}) percent-encoded as UTF-8, so any run id makes a valid header.
     */
    public static String runIdHeaderValue(String runId) {
        StringBuilder out = new StringBuilder(runId.length());
        for (byte b : runId.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** A request builder for a path, with the API key when there is one. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /** A duration in nanoseconds, saturated for the durations that overflow them. */
    static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /** The first 2,000 characters of a body as text, for messages. */
    static String excerpt(byte[] body, int length) {
        String text = new String(body, 0, length, StandardCharsets.UTF_8).strip();
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "…";
    }

    /** Configures an {@link HttpTransport}; every setter returns this builder. */
    public static final class Builder {
        private final ProviderConfig config;
        private final String serverName;
        private String threadLabel;
        private String pathPrefix = "";
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxAdminBodyBytes = DEFAULT_MAX_ADMIN_BODY_BYTES;
        private @Nullable Duration adminTimeout;

        private Builder(ProviderConfig config, String serverName) {
            this.config = Objects.requireNonNull(config, "config");
            this.serverName = Objects.requireNonNull(serverName, "serverName");
            this.threadLabel = serverName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        }

        /** A path every request's path is appended to, e.g. llama-server's {@code --api-prefix} {@code /llama}. */
        public Builder pathPrefix(String value) {
            this.pathPrefix = Objects.requireNonNull(value, "pathPrefix");
            return this;
        }

        /** The label in the names of the client's threads, e.g. {@code ollama}. */
        public Builder threadLabel(String value) {
            this.threadLabel = Objects.requireNonNull(value, "threadLabel");
            return this;
        }

        /** The longest SSE event or line, in bytes; longer ends the run {@code RESPONSE_TOO_LARGE}. */
        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = positive(value, "maxFrameBytes");
            return this;
        }

        /** The longest body of a run read whole, in bytes. */
        public Builder maxBodyBytes(int value) {
            this.maxBodyBytes = positive(value, "maxBodyBytes");
            return this;
        }

        /** The cap of a body read whole outside a run, in bytes. */
        public Builder maxAdminBodyBytes(int value) {
            this.maxAdminBodyBytes = positive(value, "maxAdminBodyBytes");
            return this;
        }

        /** The admin deadline, overriding {@link ProviderConfig#adminTimeout()}. */
        public Builder adminTimeout(Duration value) {
            Objects.requireNonNull(value, "adminTimeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("adminTimeout must be positive but was " + value);
            }
            this.adminTimeout = value;
            return this;
        }

        public HttpTransport build() {
            return new HttpTransport(this);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be > 0 but was " + value);
            }
            return value;
        }
    }
}
