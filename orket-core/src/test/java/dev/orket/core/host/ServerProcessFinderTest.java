package dev.orket.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding the measured server's processes on real processes: a stand-in server (its own JVM, listening on a
 * loopback port, with two child "runners") is found by its port with its children; a process of a configured
 * name is found by name; Orket's own JVM never counts.
 */
@EnabledOnOs(OS.LINUX)
@DisplayName("ServerProcessFinder on real processes")
class ServerProcessFinderTest {

    @Test
    @DisplayName("the process listening on a loopback port is the server, with its children, and nothing else")
    void byPort() throws Exception {
        Process server = standIn(2);
        try {
            int port = portOf(server);
            awaitChildren(server, 2);

            List<ServerProcess> found = ServerProcessFinder.system()
                    .resolve(ServerProcessRule.forBaseUrl(java.net.URI.create("http://127.0.0.1:" + port), List.of()));

            assertThat(found.get(0)).isEqualTo(new ServerProcess(server.pid(), "java", "listening_port"));
            assertThat(found.subList(1, found.size())).hasSize(2)
                    .allSatisfy(p -> assertThat(p.foundBy()).isEqualTo("descendant"))
                    .allSatisfy(p -> assertThat(p.name()).isEqualTo("sleep"));
            assertThat(found).extracting(ServerProcess::pid).doesNotContain(ProcessHandle.current().pid());
        } finally {
            ProcessTree.end(server, Duration.ofSeconds(2));
        }
    }

    @Test
    @DisplayName("a process of a configured name is the server (for a server Orket cannot reach by port)")
    void byName(@TempDir Path dir) throws Exception {
        String name = "orket-standin-" + ProcessHandle.current().pid();
        Path executable = dir.resolve(name);
        Files.copy(Path.of(which("sleep")), executable, StandardCopyOption.COPY_ATTRIBUTES);
        Process named = new ProcessBuilder(executable.toString(), "600").start();
        try {
            Set<Long> pids = ServerProcessFinder.system().pids(new ServerProcessRule(Set.of(), null, List.of(name)));
            assertThat(pids).containsExactly(named.pid());
        } finally {
            ProcessTree.end(named, Duration.ofSeconds(2));
        }
    }

    @Test
    @DisplayName("a port Orket itself listens on (an in-process server or proxy) finds no server process")
    void ownPortIsNotTheServer() throws Exception {
        try (java.net.ServerSocket own = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(ServerProcessFinder.system()
                    .pids(new ServerProcessRule(Set.of(), own.getLocalPort(), List.of()))).isEmpty();
        }
    }

    static Process standIn(int children) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                StandInServer.class.getName(), Integer.toString(children)).redirectErrorStream(true).start();
    }

    static int portOf(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the stand-in server exited before printing its port");
        }
        return Integer.parseInt(line.trim());
    }

    static void awaitChildren(Process server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.descendants().count() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/bin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return "/bin/" + name;
    }
}
