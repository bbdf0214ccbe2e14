package dev.orket.provider.llamacpp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP/1.1 server for tests that answers each connection with bytes written by a
 * {@link Responder}: exact fixture replays, truncated bodies, stalls. One connection per request;
 * the socket is closed after the responder returns.
 */
final class RawServer implements AutoCloseable {

    /** Writes one response. */
    @FunctionalInterface
    interface Responder {
        void respond(String request, OutputStream out, InputStream in) throws IOException, InterruptedException;
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\nContent-Length: *(\\d+)");

    private final ServerSocket socket;
    private final Thread acceptor;
    private final BlockingQueue<Responder> queue = new LinkedBlockingQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Responder fallback = (request, out, in) -> out.write(
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    RawServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "raw-server-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Answers the next request with these bytes, then closes. */
    RawServer enqueue(byte[] response) {
        return enqueue((request, out, in) -> out.write(response));
    }

    RawServer enqueue(Responder responder) {
        queue.add(responder);
        return this;
    }

    /** Answers requests with an empty queue. */
    RawServer otherwise(Responder responder) {
        this.fallback = responder;
        return this;
    }

    List<String> requests() {
        return requests;
    }

    String takeRequest() {
        return requests.get(requests.size() - 1);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                Thread handler = new Thread(() -> handle(client), "raw-server-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String request = readRequest(in);
            requests.add(request);
            Responder responder = queue.poll();
            OutputStream out = client.getOutputStream();
            (responder == null ? fallback : responder).respond(request, out, in);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // The client went away; nothing to do.
        } finally {
            open.remove(client);
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        Matcher m = CONTENT_LENGTH.matcher(headers);
        byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
        return headers + new String(body, StandardCharsets.UTF_8);
    }

    /** Waits until no connection is open, or the timeout passes. */
    boolean awaitNoOpenConnections(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!open.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** A complete response with a body and Content-Length. */
    static byte[] response(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] out = new byte[head.length() + bytes.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, out, 0, head.length());
        System.arraycopy(bytes, 0, out, head.length(), bytes.length);
        return out;
    }

    /** The header block of a chunked event stream. */
    static byte[] sseHead() {
        return ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One HTTP chunk holding the bytes. */
    static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    static byte[] chunk(String data) {
        return chunk(data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] lastChunk() {
        return "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    }
}
