package dev.orket.simulator.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in {@code llama-server} process for tests of managed servers: it reads the arguments
 * llama-server takes ({@code --port N}, {@code -m FILE}, {@code --api-key-file FILE}, anything else is
 * ignored), serves the simulated quant family on {@code 127.0.0.1:N} in real time, prints its argument
 * list and one line to standard error, and runs until killed. With {@code --api-key-file}, like
 * llama-server it answers every route but {@code /health} with 401 unless the request carries
 * {@code Authorization: Bearer <key>}. Wrap it in an executable script:
 * <pre>
 * #!/usr/bin/env bash
 * exec java -cp "$CLASSPATH" dev.orket.simulator.server.StandInLlamaServer "$@"
 * </pre>
 *
 * @since 0.1
 */
public final class StandInLlamaServer {

    private StandInLlamaServer() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        int port = -1;
        String model = "";
        String key = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("-m") || args[i].equals("--model")) {
                model = args[i + 1];
            } else if (args[i].equals("--api-key-file")) {
                key = Files.readString(Path.of(args[i + 1]), StandardCharsets.UTF_8).strip();
            }
        }
        if (port < 0) {
            System.err.println("stand-in llama-server: --port is required");
            System.exit(2);
        }
        System.err.println("stand-in llama-server: arguments " + String.join(" ", args));
        ScriptedInferenceServer server = ScriptedInferenceServer.start(port);
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        String bearer = key == null ? null : "Bearer " + key;
        server.setDispatcher(bearer == null ? family : request -> request.path().equals("/health")
                || bearer.equals(request.header("Authorization")) ? family.dispatch(request)
                        : Script.json(401, "{\"error\":{\"code\":401,\"message\":\"Invalid API Key\","
                                + "\"type\":\"authentication_error\"}}"));
        System.err.println("stand-in llama-server: serving the simulated quant family for " + model + " on "
                + server.baseUri() + (bearer == null ? "" : ", API key required"));
        System.err.flush();
        // Runs until the managing process kills it, as a real server would.
        new CountDownLatch(1).await();
    }
}
