package dev.orket.simulator.server;

import dev.orket.core.telemetry.RecordingListener;
import dev.orket.simulator.VirtualClock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback HTTP/1.1 server that answers each request with a {@link Script}, in the shape of
 * OkHttp's MockWebServer: {@link #enqueue}, {@link #takeRequest}, a {@link Dispatcher}, {@link #url}.
 *
 * <p>With a {@link VirtualClock} the server sets the clock to each step's offset (relative to the
 * clock's time when the request arrived) before writing the step, and, once {@link #lockstep()} is
 * passed to the client's {@code RunExecutor}, waits until the client recorded what the step causes
 * before moving on (docs/testkit.md, "Lock-step timing"). Without a clock, steps play in real time.
 *
 * <p>Each connection serves one exchange and is closed ({@code Connection: close}). Threads are
 * daemons and are joined by {@link #close()}, which also ends every stall.
 *
 * @since 0.1
 */
public final class ScriptedInferenceServer implements AutoCloseable {

    /** A stall length that means "until the client disconnects or the server closes". */
    public static final Duration UNTIL_DISCONNECT = Duration.ofDays(365);

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedInferenceServer.class);
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final Duration DEFAULT_LOCKSTEP_TIMEOUT = Duration.ofSeconds(5);

    private final @Nullable VirtualClock clock;
    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final Lockstep lockstep;
    private final LinkedBlockingQueue<Script> queue = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final List<String> lockstepMisses = new CopyOnWriteArrayList<>();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private volatile Dispatcher dispatcher = this::fromQueue;
    private volatile Duration lockstepTimeout = DEFAULT_LOCKSTEP_TIMEOUT;
    private volatile boolean closed;

    private ScriptedInferenceServer(@Nullable VirtualClock clock, int port) throws IOException {
        this.clock = clock;
        this.lockstep = new Lockstep(clock);
        this.serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        this.acceptor = new Thread(this::acceptLoop, "orket-scripted-server-" + serverSocket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a server that plays scripts in real time. */
    public static ScriptedInferenceServer start() {
        return open(null);
    }

    /** Starts a server that plays scripts on the virtual clock. */
    public static ScriptedInferenceServer start(VirtualClock clock) {
        return open(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Starts a server that plays scripts in real time on a given loopback port, as a stand-in for a server
     * process that was told its port (see {@link StandInLlamaServer}).
     */
    public static ScriptedInferenceServer start(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in [1, 65535] but was " + port);
        }
        try {
            return new ScriptedInferenceServer(null, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind loopback port " + port + " for the scripted server: " + e, e);
        }
    }

    private static ScriptedInferenceServer open(@Nullable VirtualClock clock) {
        try {
            return new ScriptedInferenceServer(clock, 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback port for the scripted server: " + e, e);
        }
    }

    /** Queues a script for the next request (used when no dispatcher is set). */
    public void enqueue(Script script) {
        queue.add(Objects.requireNonNull(script, "script"));
    }

    /** Routes requests with the dispatcher instead of the queue. */
    public void setDispatcher(Dispatcher value) {
        this.dispatcher = Objects.requireNonNull(value, "dispatcher");
    }

    /** How long the server waits in real time for the client's event before it moves on (default 5 s). */
    public void setLockstepTimeout(Duration value) {
        this.lockstepTimeout = Objects.requireNonNull(value, "lockstepTimeout");
    }

    /**
     * How long opening a connection to this server takes on the virtual clock (default zero). In lock-step, when
     * the client reports {@code ConnectStarted} the server moves the clock on by this much before the client goes
     * on, so the client's {@code Connected}, {@code RequestSent} and every later event are that much later: a
     * correct client shows it as {@code client_connect_ms} and keeps it out of wall time and TTFT.
     *
     * @since 0.2
     */
    public void setConnectDelay(Duration value) {
        Objects.requireNonNull(value, "connectDelay");
        if (value.isNegative()) {
            throw new IllegalArgumentException("connectDelay must be >= 0 but was " + value);
        }
        lockstep.connectDelay(value);
    }

    /**
     * The listener to pass to {@code RunExecutor.builder().listener(...)}: once asked for, the server
     * waits for the client's events as the scripts' {@link Await}s say.
     */
    public RecordingListener lockstep() {
        lockstep.enable();
        return lockstep;
    }

    /** The next request received, waiting up to the timeout; null when none arrived in time. */
    public @Nullable RecordedRequest takeRequest(Duration timeout) {
        try {
            return requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Requests received so far. */
    public int requestCount() {
        return requestCount.get();
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return openSockets.size();
    }

    /** Waits up to the timeout until no connection is open; returns whether none is. */
    public boolean awaitNoOpenConnections(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!openSockets.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return openSockets.isEmpty();
            }
        }
        return openSockets.isEmpty();
    }

    /** Steps whose awaited client event did not come within the lock-step timeout, described; empty when all came. */
    public List<String> lockstepMisses() {
        return List.copyOf(lockstepMisses);
    }

    /** The port the server listens on. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The base URI, e.g. {@code http://127.0.0.1:40123}, without a trailing slash. */
    public URI baseUri() {
        return URI.create("http://" + serverSocket.getInetAddress().getHostAddress() + ":" + port());
    }

    /** The URI of a path on this server, e.g. {@code url("/health")}. */
    public URI url(String path) {
        return URI.create(baseUri() + (path.startsWith("/") ? path : "/" + path));
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Stops accepting, ends every stall and connection, and joins every thread the server started. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedLatch.countDown();
        closeQuietly(serverSocket);
        for (Socket socket : openSockets) {
            closeQuietly(socket);
        }
        join(acceptor);
        for (Thread handler : handlers) {
            handler.interrupt();
            join(handler);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("scripted server thread {} did not stop within 5 s", thread.getName());
        }
    }

    private Script fromQueue(RecordedRequest request) {
        Script script = queue.poll();
        if (script != null) {
            return script;
        }
        return Script.fixed(500, "text/plain; charset=utf-8",
                ("orket simulator: no script enqueued for " + request.method() + " " + request.target())
                        .getBytes(StandardCharsets.UTF_8),
                Duration.ZERO, Await.NOTHING).named("no-script-enqueued");
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("scripted server accept failed: {}", e.toString());
                }
                return;
            }
            openSockets.add(socket);
            int number = connectionCount.incrementAndGet();
            Thread handler = new Thread(() -> serve(socket), "orket-scripted-server-" + port() + "-conn-" + number);
            handler.setDaemon(true);
            handlers.add(handler);
            if (closed) {
                closeQuietly(socket);
                openSockets.remove(socket);
                handlers.remove(handler);
                return;
            }
            handler.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            RecordedRequest request = readRequest(in);
            if (request == null) {
                return;
            }
            Duration virtualBase = clock == null ? Duration.ZERO : clock.now();
            long realBase = System.nanoTime();
            requestCount.incrementAndGet();
            requests.add(request);
            Script script = dispatcher.dispatch(request);
            LOG.debug("scripted server answers {} {} with {}", request.method(), request.target(), script);
            play(script, socket, in, out, virtualBase, realBase);
        } catch (IOException e) {
            LOG.debug("scripted server connection ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            openSockets.remove(socket);
            handlers.remove(Thread.currentThread());
        }
    }

    private void play(Script script, Socket socket, InputStream in, OutputStream out, Duration virtualBase,
            long realBase) throws IOException, InterruptedException {
        long contentLength = script.contentLength();
        // Events count from the last satisfied wait: a body may be complete (and recorded) before its end step.
        long[] mark = lockstep.mark();
        long[] start = mark;
        for (ScriptStep step : script.steps()) {
            if (closed) {
                return;
            }
            if (!moveTo(virtualBase.plus(step.at()), realBase + step.at().toNanos())) {
                return;
            }
            if (step instanceof ScriptStep.Head) {
                out.write(head(script, contentLength));
                out.flush();
            } else if (step instanceof ScriptStep.Data) {
                byte[] bytes = ((ScriptStep.Data) step).unsafeBytes();
                if (script.framing() == Script.Framing.CHUNKED && bytes.length == 0) {
                    // An empty chunk would end the body: nothing is sent for it.
                    continue;
                }
                writeFramed(script, out, bytes);
            } else if (step instanceof ScriptStep.Raw) {
                out.write(((ScriptStep.Raw) step).unsafeBytes());
                out.flush();
            } else if (step instanceof ScriptStep.Stall) {
                if (!stall(socket, in, ((ScriptStep.Stall) step).length())) {
                    return;
                }
            } else if (step instanceof ScriptStep.Drip) {
                if (!drip(script, out, (ScriptStep.Drip) step)) {
                    return;
                }
            } else if (step instanceof ScriptStep.Disconnect) {
                out.flush();
                socket.close();
                awaitClient(script, step, mark, start);
                return;
            } else if (step instanceof ScriptStep.End) {
                if (script.framing() == Script.Framing.CHUNKED) {
                    out.write(LAST_CHUNK);
                }
                out.flush();
                socket.shutdownOutput();
                awaitClient(script, step, mark, start);
                return;
            } else {
                throw new AssertionError(step);
            }
            if (step.await() != Await.NOTHING) {
                awaitClient(script, step, mark, start);
                mark = lockstep.mark();
            }
        }
        out.flush();
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private void awaitClient(Script script, ScriptStep step, long[] mark, long[] start) throws InterruptedException {
        if (step.await() == Await.NOTHING || !lockstep.enabled() || clock == null) {
            return;
        }
        if (lockstep.endedSince(start)) {
            // The client's run is over: it records nothing more, whatever the script still sends.
            return;
        }
        if (!lockstep.awaitAfter(step.await(), mark, lockstepTimeout.toNanos(), () -> closed) && !closed) {
            String miss = "script '" + script.name() + "': no " + step.await() + " recorded within " + lockstepTimeout
                    + " after " + step;
            LOG.warn(miss);
            lockstepMisses.add(miss);
        }
    }

    /** Moves virtual or real time to the step; false when the server closed meanwhile. */
    private boolean moveTo(Duration virtualTarget, long realTargetNanos) throws InterruptedException {
        if (clock != null) {
            clock.advanceToAtLeast(virtualTarget);
            return !closed;
        }
        long left = realTargetNanos - System.nanoTime();
        if (left > 0) {
            return !closedLatch.await(left, TimeUnit.NANOSECONDS);
        }
        return !closed;
    }

    /** Writes body bytes as the script frames them (one chunk when chunked, else as they are) and flushes them. */
    private static void writeFramed(Script script, OutputStream out, byte[] bytes) throws IOException {
        if (script.framing() == Script.Framing.CHUNKED) {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write(CRLF);
        } else {
            out.write(bytes);
        }
        out.flush();
    }

    /** Sends the drip's bytes every period for its length; false when the client went away or the server closed. */
    private boolean drip(Script script, OutputStream out, ScriptStep.Drip drip) throws InterruptedException {
        long deadline = drip.length().compareTo(UNTIL_DISCONNECT) >= 0 ? Long.MAX_VALUE
                : System.nanoTime() + drip.length().toNanos();
        byte[] bytes = drip.unsafeBytes();
        while (!closed && System.nanoTime() - deadline < 0) {
            try {
                writeFramed(script, out, bytes);
            } catch (IOException e) {
                // The client closed the connection: the drip is over.
                return false;
            }
            if (closedLatch.await(drip.every().toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return !closed;
    }

    /** Sends nothing for the length; false when the client went away or the server closed. */
    private boolean stall(Socket socket, InputStream in, Duration length) throws IOException {
        long deadline = length.compareTo(UNTIL_DISCONNECT) >= 0 ? Long.MAX_VALUE : System.nanoTime() + length.toNanos();
        socket.setSoTimeout(20);
        try {
            while (!closed && System.nanoTime() - deadline < 0) {
                try {
                    if (in.read() < 0) {
                        return false;
                    }
                } catch (SocketTimeoutException e) {
                    // Poll again: the stall ends on the deadline, a disconnect or close().
                    continue;
                } catch (IOException e) {
                    return false;
                }
            }
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
        return !closed;
    }

    /**
     * The status line and headers. Framing headers named by the script are written in its order with
     * the server's values (so a recorded head replays byte for byte); missing ones are appended.
     */
    private static byte[] head(Script script, long contentLength) {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(script.status()).append(' ').append(script.reason()).append("\r\n");
        boolean framed = script.framing() == Script.Framing.UNTIL_CLOSE;
        boolean connection = false;
        for (Map.Entry<String, String> header : script.headers()) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
                if (!framed) {
                    head.append(framing(script, contentLength, name));
                    framed = true;
                }
            } else if (name.equalsIgnoreCase("Connection")) {
                if (!connection) {
                    head.append(name).append(": close\r\n");
                    connection = true;
                }
            } else {
                head.append(name).append(": ").append(header.getValue()).append("\r\n");
            }
        }
        if (!framed) {
            head.append(framing(script, contentLength, null));
        }
        if (!connection) {
            head.append("Connection: close\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String framing(Script script, long contentLength, @Nullable String scriptName) {
        if (script.framing() == Script.Framing.CHUNKED) {
            String name = scriptName != null && scriptName.equalsIgnoreCase("Transfer-Encoding") ? scriptName
                    : "Transfer-Encoding";
            return name + ": chunked\r\n";
        }
        String name = scriptName != null && scriptName.equalsIgnoreCase("Content-Length") ? scriptName : "Content-Length";
        return name + ": " + contentLength + "\r\n";
    }

    /** Reads one request; null when the connection closed before a request line. */
    static @Nullable RecordedRequest readRequest(InputStream in) throws IOException {
        byte[] headBytes = readHead(in);
        if (headBytes == null) {
            return null;
        }
        String head = new String(headBytes, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length < 2) {
            throw new IOException("malformed request line: " + lines[0]);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new AbstractMap.SimpleImmutableEntry<>(lines[i].substring(0, colon).trim(),
                        lines[i].substring(colon + 1).trim()));
            }
        }
        byte[] body = readBody(in, headers);
        return new RecordedRequest(requestLine[0], requestLine[1], headers, body);
    }

    private static byte @Nullable [] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int window = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside the request head");
            }
            head.write(b);
            window = (window << 8) | b;
            if (window == 0x0D0A0D0A) {
                byte[] bytes = head.toByteArray();
                return java.util.Arrays.copyOf(bytes, bytes.length - 4);
            }
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("request head larger than " + MAX_HEAD_BYTES + " bytes");
            }
        }
    }

    private static byte[] readBody(InputStream in, List<Map.Entry<String, String>> headers) throws IOException {
        String contentLength = null;
        boolean chunked = false;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase("Content-Length")) {
                contentLength = header.getValue();
            } else if (header.getKey().equalsIgnoreCase("Transfer-Encoding")
                    && header.getValue().toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // Skip trailers.
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        if (contentLength == null) {
            return new byte[0];
        }
        int length = Integer.parseInt(contentLength.trim());
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("request body ended after " + body.length + " of " + length + " bytes");
        }
        return body;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.trace("close failed: {}", e.toString());
        }
    }
}
