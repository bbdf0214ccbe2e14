package dev.orket.provider.ollama;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP/1.1 server for tests that writes scripted raw bytes (status line, headers, chunked
 * framing and all), with pauses, stalls and abrupt closes; the module's stand-in until the testkit's
 * scripted server is used. One connection per scripted response.
 */
final class RawServer implements AutoCloseable {

    /** One step of a scripted response. */
    interface Step {}

    record Bytes(byte[] bytes) implements Step {}

    record Pause(long millis) implements Step {}

    /** Holds the connection open without writing until the client closes it. */
    record Stall() implements Step {}

    /** Closes the socket at once (mid-body disconnect). */
    record Abort() implements Step {}

    /** A request as received. */
    record Received(String method, String path, Map<String, String> headers, String body) {}

    private final ServerSocket socket;
    private final BlockingQueue<List<Step>> scripts = new LinkedBlockingQueue<>();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch clientClosedDuringStall = new CountDownLatch(1);
    private final Thread acceptor;
    private volatile boolean closed;

    RawServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptLoop, "raw-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    RawServer enqueue(Step... steps) {
        scripts.add(List.of(steps));
        return this;
    }

    RawServer enqueue(byte[] rawResponse) {
        return enqueue(new Bytes(rawResponse));
    }

    Received takeRequest() throws InterruptedException {
        Received request = received.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request arrived within 5 s");
        }
        return request;
    }

    boolean awaitClientClosedDuringStall(long millis) throws InterruptedException {
        return clientClosedDuringStall.await(millis, TimeUnit.MILLISECONDS);
    }

    static byte[] response(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        return concat(head.getBytes(StandardCharsets.US_ASCII), bytes);
    }

    static byte[] chunkedHead(int status, String contentType) {
        return ("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType
                + "\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] chunk(byte[] data) {
        return concat(concat((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), data),
                "\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] chunk(String data) {
        return chunk(data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] lastChunk() {
        return "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket connection = socket.accept();
                Thread handler = new Thread(() -> handle(connection), "raw-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            Received request = readRequest(in);
            received.add(request);
            List<Step> script = scripts.poll(5, TimeUnit.SECONDS);
            if (script == null) {
                script = List.of(new Bytes(response(500, "text/plain", "no scripted response")));
            }
            OutputStream out = connection.getOutputStream();
            for (Step step : script) {
                if (step instanceof Bytes) {
                    out.write(((Bytes) step).bytes());
                    out.flush();
                } else if (step instanceof Pause) {
                    Thread.sleep(((Pause) step).millis());
                } else if (step instanceof Stall) {
                    connection.setSoTimeout(30_000);
                    try {
                        while (in.read() >= 0) {
                            // discard
                        }
                    } catch (IOException e) {
                        // reset by the client: closed too
                    }
                    clientClosedDuringStall.countDown();
                    return;
                } else if (step instanceof Abort) {
                    connection.setSoLinger(true, 0);
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Received readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Received(requestLine[0], requestLine[1], headers, new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    static List<Step> steps(Step... steps) {
        return new ArrayList<>(List.of(steps));
    }
}
