package dev.orket.testkit.server;

import java.util.concurrent.CountDownLatch;

/**
 * A stand-in {@code llama-server} process for tests of managed servers: it reads the arguments
 * llama-server takes ({@code --port N}, {@code -m FILE}, anything else is ignored), serves the simulated
 * quant family on {@code 127.0.0.1:N} in real time, prints one line to standard error, and runs until
 * killed. Wrap it in an executable script:
 * <pre>
 * #!/usr/bin/env bash
 * exec java -cp "$CLASSPATH" dev.orket.testkit.server.StandInLlamaServer "$@"
 * </pre>
 *
 * @since 0.1
 */
public final class StandInLlamaServer {

    private StandInLlamaServer() {}

    public static void main(String[] args) throws InterruptedException {
        int port = -1;
        String model = "";
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("-m") || args[i].equals("--model")) {
                model = args[i + 1];
            }
        }
        if (port < 0) {
            System.err.println("stand-in llama-server: --port is required");
            System.exit(2);
        }
        ScriptedInferenceServer server = ScriptedInferenceServer.start(port);
        server.setDispatcher(SimulatedQuantFamily.standard());
        System.err.println("stand-in llama-server: serving the simulated quant family for " + model + " on "
                + server.baseUri());
        System.err.flush();
        // Runs until the managing process kills it, as a real server would.
        new CountDownLatch(1).await();
    }
}
