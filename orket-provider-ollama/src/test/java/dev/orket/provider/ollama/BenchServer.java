package dev.orket.provider.ollama;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback server for {@link OllamaStreamBenchmark}, run in its own JVM so that its CPU is not the
 * client's: answers every request with one pre-built Ollama NDJSON stream (one HTTP chunk per line,
 * as Ollama sends it), written as fast as the socket takes it. Prints its port, then serves forever.
 *
 * <p>Usage: {@code java -cp … dev.orket.provider.ollama.BenchServer <tokens>}
 */
public final class BenchServer {

    private BenchServer() {}

    public static void main(String[] args) throws IOException {
        int tokens = Integer.parseInt(args[0]);
        byte[] response = response(tokens);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.out.println(server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket socket = server.accept();
                Thread thread = new Thread(() -> serve(socket, response));
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    private static void serve(Socket socket, byte[] response) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            int matched = 0;
            int contentLength = 0;
            StringBuilder header = new StringBuilder();
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                header.append((char) b);
                matched = (b == '\r' || b == '\n') ? (matched == 0 && b == '\r' || matched == 2 && b == '\r'
                        || matched == 1 && b == '\n' || matched == 3 && b == '\n' ? matched + 1 : 0) : 0;
            }
            for (String line : header.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(line.substring(15).strip());
                }
            }
            in.readNBytes(contentLength);
            OutputStream out = socket.getOutputStream();
            out.write(response);
            out.flush();
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The response bytes: headers, then one chunk per NDJSON line, then the last chunk. */
    static byte[] response(int tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(tokens * 130);
        out.writeBytes(("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nDate: Sat, 22 Aug 2026 09:30:00 GMT\r\n"
                + "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String[] words = {"ight", "io", "  ", "ate", " no", " }", " Al", "isch", "to", "_{", "//", "('", " of", " using"};
        for (int i = 0; i < tokens; i++) {
            String line = "{\"model\":\"tiny-random-llama:q4_k_m\",\"created_at\":\"2026-08-22T09:30:00.00" + (1000000 + i)
                    + "Z\",\"response\":\"" + words[i % words.length] + "\",\"done\":false}\n";
            chunk(out, line);
        }
        chunk(out, "{\"model\":\"tiny-random-llama:q4_k_m\",\"created_at\":\"2026-08-22T09:30:00.005990814Z\",\"response\":\"\","
                + "\"done\":true,\"done_reason\":\"length\",\"total_duration\":6049024,\"load_duration\":1873412,"
                + "\"prompt_eval_count\":10,\"prompt_eval_duration\":923000,\"eval_count\":" + tokens
                + ",\"eval_duration\":" + (tokens * 157_000L) + "}\n");
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
