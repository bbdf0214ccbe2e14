package dev.orket.core.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a server such as {@code ollama serve}: a real process that listens on a loopback port and
 * keeps child processes (its "runners"), started by the tests in a JVM of its own. It prints its port, then
 * lives until its standard input closes.
 */
public final class StandInServer {

    private StandInServer() {}

    /**
     * Listens on a free loopback port, starts {@code args[0]} children ({@code sleep 600}), prints the port.
     *
     * @param args the number of children
     */
    public static void main(String[] args) throws IOException {
        int children = args.length == 0 ? 2 : Integer.parseInt(args[0]);
        List<Process> runners = new ArrayList<>();
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < children; i++) {
                runners.add(new ProcessBuilder("sleep", "600").start());
            }
            System.out.println(socket.getLocalPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Lives until the test closes its input.
                continue;
            }
        } finally {
            runners.forEach(Process::destroyForcibly);
        }
    }
}
