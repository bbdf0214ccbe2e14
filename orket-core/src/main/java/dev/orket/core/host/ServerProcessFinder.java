package dev.orket.core.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a {@link ServerProcessRule} to process ids at one moment: the known ids, the process holding the
 * listening socket of a loopback port (Linux: {@code /proc/net/tcp{,6}} inode to {@code /proc/PID/fd}),
 * processes of the configured names, then every descendant of each. Orket's own JVM is never the server: an
 * in-process server or proxy listening on the port is not counted (its children, a managed server, are).
 *
 * @since 0.1
 */
public final class ServerProcessFinder {

    private final ProcFs proc;
    private final boolean linux;
    private final long self;

    /** A finder reading the given {@code /proc} (when it is readable) and excluding the given own process id. */
    public ServerProcessFinder(ProcFs proc, long selfPid) {
        this.proc = proc;
        this.linux = proc.available();
        this.self = selfPid;
    }

    /** The finder of the running system. */
    public static ServerProcessFinder system() {
        return new ServerProcessFinder(ProcFs.system(), ProcessHandle.current().pid());
    }

    /** The server's processes now, roots first (in the order of the rule), then descendants, each with how it was found. */
    public List<ServerProcess> resolve(ServerProcessRule rule) {
        Map<Long, String> roots = new LinkedHashMap<>();
        for (long pid : new TreeSet<>(rule.rootPids())) {
            roots.putIfAbsent(pid, "pid");
        }
        if (rule.loopbackPort() != null) {
            for (long pid : listening(rule.loopbackPort())) {
                roots.putIfAbsent(pid, "listening_port");
            }
        }
        if (!rule.processNames().isEmpty()) {
            for (long pid : named(rule.processNames())) {
                roots.putIfAbsent(pid, "process_name");
            }
        }
        roots.remove(self);
        Set<Long> tree = linux ? proc.withDescendants(roots.keySet()) : ProcessTree.withDescendants(roots.keySet());
        tree.remove(self);
        List<ServerProcess> out = new ArrayList<>();
        roots.forEach((pid, how) -> out.add(new ServerProcess(pid, nameOf(pid), how)));
        for (long pid : tree) {
            if (!roots.containsKey(pid)) {
                out.add(new ServerProcess(pid, nameOf(pid), "descendant"));
            }
        }
        return out;
    }

    /** The server's process ids now, sorted. */
    public Set<Long> pids(ServerProcessRule rule) {
        Set<Long> pids = new TreeSet<>();
        for (ServerProcess process : resolve(rule)) {
            pids.add(process.pid());
        }
        return pids;
    }

    /** Processes holding a socket that listens on the port (Linux only; elsewhere none are found). */
    Set<Long> listening(int port) {
        if (!linux) {
            return Set.of();
        }
        return proc.pidsHoldingSockets(proc.listeningInodes(port));
    }

    private Set<Long> named(List<String> names) {
        Set<Long> found = new TreeSet<>();
        if (linux) {
            for (long pid : proc.pids()) {
                if (matches(names, proc.processName(pid), proc.commandLine(pid))) {
                    found.add(pid);
                }
            }
            return found;
        }
        ProcessHandle.allProcesses().forEach(handle -> {
            Optional<String> command = handle.info().command();
            if (command.isPresent() && names.contains(baseName(command.get()))) {
                found.add(handle.pid());
            }
        });
        return found;
    }

    private static boolean matches(List<String> names, @org.jspecify.annotations.Nullable String comm,
            List<String> commandLine) {
        if (comm != null && names.contains(comm)) {
            return true;
        }
        // comm is cut at 15 characters; the first argument carries the whole executable name.
        return !commandLine.isEmpty() && names.contains(baseName(commandLine.get(0)));
    }

    private String nameOf(long pid) {
        if (linux) {
            List<String> commandLine = proc.commandLine(pid);
            if (!commandLine.isEmpty() && !commandLine.get(0).isEmpty()) {
                return baseName(commandLine.get(0));
            }
            String comm = proc.processName(pid);
            return comm == null ? "" : comm;
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(ServerProcessFinder::baseName).orElse("");
    }

    private static String baseName(String command) {
        int slash = command.lastIndexOf('/');
        return slash < 0 ? command : command.substring(slash + 1);
    }
}
