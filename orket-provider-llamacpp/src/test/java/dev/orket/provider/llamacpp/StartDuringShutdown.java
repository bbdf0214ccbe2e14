package dev.orket.provider.llamacpp;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A separate JVM for {@link ManagedLlamaServerTest}: starts a managed server from a shutdown hook, as a sweep's cell
 * does when a signal arrives while the cell opens, and prints what became of the start.
 */
final class StartDuringShutdown {

    private StartDuringShutdown() {}

    /** {@code StartDuringShutdown EXECUTABLE MODEL}. */
    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (ManagedLlamaServer server = ManagedLlamaServer.start(ManagedLlamaServer.options(Path.of(args[0]),
                    Path.of(args[1])).startupDeadline(Duration.ofSeconds(5)).stopGrace(Duration.ofSeconds(2)))) {
                System.out.println("started pid " + server.pid());
            } catch (RuntimeException e) {
                System.out.println("refused: " + e.getMessage());
            }
            System.out.flush();
        }));
    }
}
