package dev.orket.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a tree of real files laid out like Linux's {@code /proc} (captured from a machine running
 * {@code ollama serve} with its {@code ollama runner} child and a llama-server): exact values, and "unknown",
 * never an exception, for what is missing or malformed.
 */
@DisplayName("ProcFs")
class ProcFsTest {

    @TempDir
    Path root;

    private ProcFs proc;

    @BeforeEach
    void layOut() throws IOException {
        write("stat", "cpu  31897 0 5744 81329 586 0 99 58 0 0\n"
                + "cpu0 15946 0 2715 41037 85 0 20 28 0 0\ncpu1 15950 0 3029 40291 500 0 79 29 0 0\n"
                + "intr 1 2 3\nctxt 42\n");
        write("loadavg", "2.54 1.28 0.58 2/335 17354\n");
        // The name holds a space and a parenthesis: fields are read after the last ')'.
        stat(1, "systemd", 0, 12, 30);
        stat(100, "ollama", 1, 900, 100);
        stat(101, "ollama runner) x", 100, 52000, 800);
        stat(102, "llama-server", 1, 5, 5);
        stat(103, "sh", 102, 1, 1);
        Files.writeString(dir(101).resolve("cmdline"), "/usr/bin/ollama\0runner\0--model\0/m.gguf\0");
        Files.writeString(dir(102).resolve("cmdline"), "/opt/llama/llama-server\0-m\0m.gguf\0");
        Files.writeString(dir(102).resolve("status"), "Name:\tllama-server\nCpus_allowed_list:\t0-1\n");
        Files.createDirectories(root.resolve("net"));
        write("net/tcp", "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: 0100007F:2CAB 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4711 1\n"
                + "   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 4712 1\n");
        write("net/tcp6", "  sl  local_address                         remote_address                        st\n"
                + "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000"
                + " 00:00000000 00000000  1000        0 4713 1\n");
        Files.createDirectories(dir(100).resolve("fd"));
        Files.createSymbolicLink(dir(100).resolve("fd").resolve("3"), Path.of("socket:[4711]"));
        Files.createSymbolicLink(dir(100).resolve("fd").resolve("0"), Path.of("/dev/null"));
        Files.createDirectories(dir(102).resolve("fd"));
        Files.createSymbolicLink(dir(102).resolve("fd").resolve("7"), Path.of("socket:[4713]"));
        proc = new ProcFs(root);
    }

    @Test
    @DisplayName("host CPU: busy = user+nice+system+irq+softirq+steal, total adds idle and iowait; cores from cpuN lines")
    void cpuTimes() {
        ProcFs.CpuTimes times = proc.cpuTimes();

        assertThat(times).isEqualTo(new ProcFs.CpuTimes(31897 + 5744 + 99 + 58, 31897 + 5744 + 81329 + 586 + 99 + 58,
                2));
        assertThat(proc.available()).isTrue();
        assertThat(proc.load1m()).isEqualTo(2.54);
    }

    @Test
    @DisplayName("a process's CPU is utime + stime, read after the last ')' of its name")
    void processTicks() {
        assertThat(proc.processCpuTicks(101)).isEqualTo(52800L);
        assertThat(proc.processCpuTicks(999)).isNull();
        assertThat(proc.parents()).containsEntry(101L, 100L).containsEntry(103L, 102L).containsEntry(1L, 0L);
        assertThat(proc.withDescendants(List.of(100L))).containsExactly(100L, 101L);
        assertThat(proc.withDescendants(List.of(1L))).containsExactly(1L, 100L, 101L, 102L, 103L);
    }

    @Test
    @DisplayName("the listening socket of a port, IPv4 or IPv6, leads to the process holding it; a connection does not")
    void listeningSockets() {
        assertThat(proc.listeningInodes(0x2CAB)).containsExactly(4711L);
        // 0x1F90 = 8080: LISTEN in tcp6 (4713); the tcp line for it is an ESTABLISHED connection (01), not counted.
        assertThat(proc.listeningInodes(8080)).containsExactly(4713L);
        assertThat(proc.pidsHoldingSockets(proc.listeningInodes(0x2CAB))).containsExactly(100L);
        assertThat(proc.pidsHoldingSockets(proc.listeningInodes(8080))).containsExactly(102L);
        assertThat(proc.listeningInodes(9)).isEmpty();
    }

    @Test
    @DisplayName("names, command lines and CPU sets read as written; a gone process is unknown")
    void namesAndAffinity() {
        assertThat(proc.processName(101)).as("comm, cut at 15 characters").isEqualTo("ollama runner)");
        assertThat(proc.commandLine(101)).containsExactly("/usr/bin/ollama", "runner", "--model", "/m.gguf");
        assertThat(proc.commandLine(999)).isEmpty();
        assertThat(proc.cpusAllowedList(102)).isEqualTo("0-1");
        assertThat(proc.cpusAllowedList(101)).isNull();
        assertThat(proc.pids()).containsExactlyInAnyOrder(1L, 100L, 101L, 102L, 103L);
    }

    @Test
    @DisplayName("a tree without a readable stat file is not a /proc: every answer is unknown, never an exception")
    void missingProc(@TempDir Path empty) throws IOException {
        ProcFs none = new ProcFs(empty);
        Files.writeString(empty.resolve("loadavg"), "not a number\n");

        assertThat(none.available()).isFalse();
        assertThat(none.cpuTimes()).isNull();
        assertThat(none.load1m()).isNull();
        assertThat(none.pids()).isEmpty();
        assertThat(new ProcFs(empty.resolve("absent")).pids()).isEmpty();
    }

    @Test
    @DisplayName("the finder resolves a port to the listening process and its descendants, names to processes")
    void finder() {
        ServerProcessFinder finder = new ServerProcessFinder(proc, 4242);

        assertThat(finder.resolve(new ServerProcessRule(java.util.Set.of(), 0x2CAB, List.of()))).containsExactly(
                new ServerProcess(100, "ollama", "listening_port"), new ServerProcess(101, "ollama", "descendant"));
        assertThat(finder.pids(new ServerProcessRule(java.util.Set.of(), null, List.of("llama-server"))))
                .containsExactly(102L, 103L);
        // comm is cut at 15 characters; the command line's executable still names the process.
        assertThat(finder.pids(new ServerProcessRule(java.util.Set.of(), null, List.of("ollama")))).containsExactly(100L,
                101L);
        assertThat(finder.pids(ServerProcessRule.ofPids(java.util.Set.of(4242L, 7L)))).as("never Orket itself")
                .containsExactly(7L);
        assertThat(finder.pids(ServerProcessRule.NONE)).isEmpty();
    }

    private Path dir(long pid) throws IOException {
        return Files.createDirectories(root.resolve(Long.toString(pid)));
    }

    private void stat(long pid, String name, long parent, long utime, long stime) throws IOException {
        Files.writeString(dir(pid).resolve("stat"), pid + " (" + name + ") S " + parent + " " + pid + " " + pid
                + " 0 -1 4194560 1000 0 0 0 " + utime + " " + stime + " 0 0 20 0 4 0 1234 0 0\n");
        Files.writeString(dir(pid).resolve("comm"), (name.length() > 15 ? name.substring(0, 15) : name) + "\n");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(root.resolve(name), text, StandardCharsets.UTF_8);
    }
}
