package dev.orket.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The one process-tree stop, on real processes: a shell, its children and a child re-parented when it died. */
@EnabledOnOs({OS.LINUX, OS.MAC})
@DisplayName("ProcessTree")
class ProcessTreeTest {

    @Test
    @DisplayName("ends a process and a child that ignores SIGTERM and was re-parented when its parent died")
    void endsReparentedChild() throws Exception {
        // The child ignores SIGTERM (the disposition survives exec), so it outlives its parent and is re-parented.
        Process root = new ProcessBuilder("sh", "-c", "sh -c 'trap \"\" TERM; exec sleep 600' & wait").start();
        ProcessHandle child = awaitDescendant(root);

        boolean dead = ProcessTree.end(root, Duration.ofMillis(500));

        assertThat(dead).isTrue();
        assertThat(child.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    @DisplayName("ends a process that ignores SIGTERM itself, forcibly after the grace period")
    void forcesStubbornRoot() throws Exception {
        Process root = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 600 & wait; wait").start();
        ProcessHandle child = awaitDescendant(root);
        long started = System.nanoTime();

        assertThat(ProcessTree.end(root, Duration.ofMillis(300))).isTrue();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(child.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    @DisplayName("lists a process with its living descendants, keeping a named id that is not alive")
    void withDescendants() throws Exception {
        Process root = new ProcessBuilder("sh", "-c", "sleep 600 & sleep 600 & wait").start();
        try {
            awaitDescendants(root, 2);
            Set<Long> tree = ProcessTree.withDescendants(List.of(root.pid(), Long.MAX_VALUE - 7));
            assertThat(tree).contains(root.pid(), Long.MAX_VALUE - 7).hasSize(4);
            if (ProcFs.system().available()) {
                // The /proc reading of the same tree agrees with the JDK's.
                assertThat(ProcFs.system().withDescendants(List.of(root.pid())))
                        .containsExactlyInAnyOrderElementsOf(ProcessTree.withDescendants(List.of(root.pid())));
            }
        } finally {
            ProcessTree.end(root, Duration.ofSeconds(2));
        }
    }

    private static ProcessHandle awaitDescendant(Process root) throws InterruptedException, IOException {
        return awaitDescendants(root, 1).get(0);
    }

    private static List<ProcessHandle> awaitDescendants(Process root, int count) throws InterruptedException,
            IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> found = root.descendants().toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(20);
        }
        throw new IOException("the shell did not start " + count + " children within 10 s");
    }
}
