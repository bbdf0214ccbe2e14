package dev.orket.simulator.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A byte-exact HTTP client for tests: sends raw request bytes and reads the raw response. */
final class RawHttp {

    private RawHttp() {}

    /** Sends the bytes and reads until the server closes or {@code readTimeoutMs} passes without data. */
    static byte[] exchange(URI base, byte[] request, int readTimeoutMs) {
        return exchange(base, request, readTimeoutMs, Long.MAX_VALUE / 4);
    }

    /** Like {@link #exchange(URI, byte[], int)}, reading for at most {@code totalMs} (a server that drips forever). */
    static byte[] exchange(URI base, byte[] request, int readTimeoutMs, long totalMs) {
        long started = System.nanoTime();
        long totalNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(totalMs);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(readTimeoutMs);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            try {
                int read;
                while (System.nanoTime() - started < totalNanos && (read = in.read(buffer)) >= 0) {
                    response.write(buffer, 0, read);
                }
            } catch (SocketTimeoutException e) {
                // What arrived before the silence is the answer.
            }
            return response.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] get(URI base, String path) {
        return exchange(base, ("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), 5000);
    }

    static byte[] post(URI base, String path, String json) {
        return post(base, path, json, "");
    }

    /** A POST with extra header lines, each ending in CRLF (e.g. {@code "X-Orket-Run-Id: r1\r\n"}). */
    static byte[] post(URI base, String path, String json, String headerLines) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return exchange(base, concat(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + headerLines + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII), body), 5000);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Only the head of a response (status and headers), body ignored. */
    static RecordedResponse parseHead(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = text.substring(0, end + 4).replaceAll("(?i)transfer-encoding: chunked\r\n", "")
                .replaceAll("(?i)content-length: ", "X-Declared-Length: ");
        RecordedResponse parsed = parse(head.getBytes(StandardCharsets.ISO_8859_1));
        java.util.List<java.util.Map.Entry<String, String>> headers = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, String> header : parsed.headers()) {
            headers.add(new java.util.AbstractMap.SimpleImmutableEntry<>(
                    header.getKey().equals("X-Declared-Length") ? "Content-Length" : header.getKey(), header.getValue()));
        }
        return new RecordedResponse(parsed.status(), parsed.reason(), headers, false, java.util.List.of());
    }

    /** The response parsed back into a recorded exchange (with a dummy request in front). */
    static RecordedResponse parse(byte[] response) {
        byte[] request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        return RecordedExchange.parse(concat(request, response)).response();
    }
}
