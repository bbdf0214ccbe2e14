package dev.orket.testkit.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A loopback TCP proxy in front of a real server that keeps every byte the server sent, so that a lab test can
 * compare Orket's telemetry with the server's own words, read from the raw response rather than through the
 * provider under test. Runs are sequential, so the bytes received between two {@link #mark()}s are one run's
 * response.
 *
 * <pre>{@code
 * try (RecordingProxy proxy = RecordingProxy.start(server.baseUrl())) {
 *     long mark = proxy.mark();
 *     executor.execute(providerFor(proxy.baseUrl()), request);
 *     byte[] response = proxy.receivedSince(mark);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class RecordingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private RecordingProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        this.acceptor = new Thread(this::acceptLoop, "orket-recording-proxy-" + listener.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Starts a proxy on a free loopback port in front of the server at {@code baseUrl} (scheme, host and port). */
    public static RecordingProxy start(URI baseUrl) {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            RecordingProxy proxy = new RecordingProxy(socket,
                    new InetSocketAddress(baseUrl.getHost(), baseUrl.getPort()));
            proxy.acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the recording proxy", e);
        }
    }

    /** The proxy's base URL, to give the provider instead of the server's. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** The number of bytes received from the server so far: a mark to read one run's response from. */
    public long mark() {
        synchronized (received) {
            return received.size();
        }
    }

    /** The bytes the server sent since the mark. */
    public byte[] receivedSince(long mark) {
        synchronized (received) {
            byte[] all = received.toByteArray();
            byte[] since = new byte[all.length - (int) mark];
            System.arraycopy(all, (int) mark, since, 0, since.length);
            return since;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                pipe(client.getInputStream(), server.getOutputStream(), null, server);
                pipe(server.getInputStream(), client.getOutputStream(), received, client);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("recording proxy: " + e);
                }
            }
        }
    }

    private static void pipe(InputStream from, OutputStream to, @Nullable ByteArrayOutputStream copy,
            Socket closeAtEnd) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16_384];
            try {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    if (copy != null) {
                        synchronized (copy) {
                            copy.write(buffer, 0, n);
                        }
                    }
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // One side closed: the other is closed below.
            } finally {
                try {
                    closeAtEnd.close();
                } catch (IOException ignored) {
                    // Already closed.
                }
            }
        }, "orket-recording-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing a listener only fails when it is already closed.
        }
        synchronized (sockets) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Already closed by its pipe.
                }
            }
        }
    }
}
