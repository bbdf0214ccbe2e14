package dev.orket.core.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server for the transport's tests, which cannot use the testkit (it depends on core): answers
 * each request with the next queued {@link Answer}, on the same connection for as long as the answers keep it
 * alive, and counts connections and requests.
 */
final class WireServer implements AutoCloseable {

    /** Writes one response; returns whether the connection stays open for the next request. */
    @FunctionalInterface
    interface Answer {
        boolean write(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final LinkedBlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final java.util.List<String> heads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    WireServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "wire-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    void enqueue(Answer answer) {
        answers.add(answer);
    }

    int connections() {
        return connections.get();
    }

    int requests() {
        return requests.get();
    }

    /** The head (request line and headers) of every request received, in order. */
    java.util.List<String> heads() {
        return heads;
    }

    /** A complete response: kept alive, or closed with {@code Connection: close}. */
    static Answer response(int status, String contentType, String body, boolean keepAlive) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return out -> {
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                    + "\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return keepAlive;
        };
    }

    /** Chunked response headers. */
    static byte[] chunkedHead(String contentType) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One HTTP chunk. */
    static byte[] chunk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private void accept() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread handler = new Thread(() -> serve(s), "wire-server-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (!closed) {
                if (!readRequest(in, heads)) {
                    return;
                }
                requests.incrementAndGet();
                Answer answer = answers.poll(5, TimeUnit.SECONDS);
                if (answer == null || !answer.write(out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
        }
    }

    /** Reads one request (head and Content-Length body); false when the connection closed first. */
    private static boolean readRequest(InputStream in, java.util.List<String> heads) throws IOException {
        StringBuilder head = new StringBuilder();
        int window = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.append((char) b);
            window = (window << 8) | b;
            if (window == 0x0D0A0D0A) {
                break;
            }
        }
        heads.add(head.toString());
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return in.readNBytes(length).length == length;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
