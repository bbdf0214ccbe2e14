package dev.orket.simulator.bench;

import dev.orket.simulator.server.Answer;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptStep;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ServerDialect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's server, run in its own JVM so that its CPU is not the client's: answers every request with one
 * pre-built stream of a dialect (the scripted server's own stream for an answer of N tokens, one HTTP chunk per
 * event as real servers send them), written as fast as the socket takes it, then closes the connection. Prints its
 * port on the first line, then serves until killed.
 *
 * <p>Usage: {@code java -cp … dev.orket.simulator.bench.BenchServer <dialect> <tokens>}, e.g.
 * {@code LLAMACPP_COMPLETION 20000}.
 *
 * @since 0.2
 */
public final class BenchServer {

    private BenchServer() {}

    /** Serves the stream of a dialect until the process is killed. */
    public static void main(String[] args) throws IOException {
        ServerDialect dialect = ServerDialect.builtIn(args[0]);
        byte[] response = response(dialect, Integer.parseInt(args[1]));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.out.println(server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket socket = server.accept();
                Thread thread = new Thread(() -> serve(socket, response), "bench-server");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /** The answer of the benchmark: the fixture's tokens repeated to the given count. */
    static Answer answer(int tokens) {
        List<String> pieces = new ArrayList<>(tokens);
        for (int i = 0; i < tokens; i++) {
            pieces.add(Answer.FIXTURE_TOKENS.get(i % Answer.FIXTURE_TOKENS.size()));
        }
        return Answer.fixture("tiny-random-llama:q4_k_m").withTokens(pieces);
    }

    /** The whole response of a streamed answer of the dialect: head, one chunk per event, the last chunk. */
    static byte[] response(ServerDialect dialect, int tokens) {
        Script script = dialect.streaming(answer(tokens), ScriptTimeline.DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream(tokens * 160);
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (Map.Entry<String, String> header : script.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        head.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (ScriptStep step : script.steps()) {
            if (step instanceof ScriptStep.Data) {
                byte[] bytes = ((ScriptStep.Data) step).bytes();
                out.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(bytes);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void serve(Socket socket, byte[] response) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            int window = 0;
            while (window != 0x0D0A0D0A) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                header.append((char) b);
                window = (window << 8) | b;
            }
            int contentLength = 0;
            for (String line : header.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(line.substring(15).strip());
                }
            }
            in.readNBytes(contentLength);
            OutputStream out = socket.getOutputStream();
            out.write(response);
            out.flush();
        } catch (IOException e) {
            // The client went away.
        }
    }
}
