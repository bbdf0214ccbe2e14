package dev.orket.core.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads what Orket needs from Linux's {@code /proc}: whole-host CPU times and load, each process's CPU
 * time, parent and name, and which process holds a listening TCP socket. The root is injectable, so tests
 * read a tree of real files laid out like {@code /proc}. Every method answers "unknown" (null or empty)
 * instead of throwing when a file is missing or unreadable: processes come and go while they are read.
 *
 * <p>Formats read (from {@code proc(5)}):
 * <pre>
 * /proc/stat          cpu  31897 0 5744 81329 586 0 99 58 0 0     (user nice system idle iowait irq softirq steal …)
 *                     cpu0 15946 0 2715 41037 85 0 20 28 0 0
 * /proc/loadavg       2.54 1.28 0.58 2/335 17354
 * /proc/PID/stat      17354 (llama-server) S 17001 … utime stime …  (fields 14 and 15, in clock ticks)
 * /proc/net/tcp       0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 1000 0 12345 …
 * /proc/PID/fd/N      -> socket:[12345]
 * </pre>
 *
 * @since 0.1
 */
public final class ProcFs {

    /** TCP state LISTEN in {@code /proc/net/tcp}. */
    private static final String TCP_LISTEN = "0A";

    private final Path root;

    /** A reader of the {@code /proc} tree at the given root. */
    public ProcFs(Path root) {
        this.root = root;
    }

    /** The running system's {@code /proc}. */
    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    /** Whether this looks like a readable Linux {@code /proc} (its {@code stat} file has a {@code cpu} line). */
    public boolean available() {
        return cpuTimes() != null;
    }

    /**
     * Whole-host CPU time since boot, in clock ticks.
     *
     * @param busyTicks ticks spent on anything but idle and I/O wait (user, nice, system, irq, softirq, steal)
     * @param totalTicks busy plus idle and I/O wait ticks
     * @param cores the number of {@code cpuN} lines (online cores)
     */
    public record CpuTimes(long busyTicks, long totalTicks, int cores) {}

    /** The host's CPU times, or null when {@code /proc/stat} cannot be read. */
    public @Nullable CpuTimes cpuTimes() {
        String text = read(root.resolve("stat"));
        if (text == null) {
            return null;
        }
        long busy = -1;
        long total = -1;
        int cores = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) {
                    return null;
                }
                long idle = 0;
                long sum = 0;
                // Fields 1..8: user nice system idle iowait irq softirq steal; guest time is already in user.
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    long value = parseLong(f[i]);
                    if (value < 0) {
                        return null;
                    }
                    sum += value;
                    if (i == 4 || i == 5) {
                        idle += value;
                    }
                }
                busy = sum - idle;
                total = sum;
            } else if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cores++;
            }
        }
        if (busy < 0 || cores == 0) {
            return null;
        }
        return new CpuTimes(busy, total, cores);
    }

    /** The one-minute load average, or null when {@code /proc/loadavg} cannot be read. */
    public @Nullable Double load1m() {
        String text = read(root.resolve("loadavg"));
        if (text == null) {
            return null;
        }
        String[] f = text.trim().split("\\s+");
        try {
            double value = Double.parseDouble(f[0]);
            return Double.isFinite(value) && value >= 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A process's user + system CPU time in clock ticks, or null when it is gone or unreadable. */
    public @Nullable Long processCpuTicks(long pid) {
        String[] f = statFields(pid);
        if (f == null || f.length < 13) {
            return null;
        }
        long utime = parseLong(f[11]);
        long stime = parseLong(f[12]);
        return utime < 0 || stime < 0 ? null : Long.valueOf(utime + stime);
    }

    /** Every process id in the tree, with its parent's id. */
    public Map<Long, Long> parents() {
        Map<Long, Long> parents = new HashMap<>();
        for (long pid : pids()) {
            String[] f = statFields(pid);
            if (f != null && f.length > 1) {
                long parent = parseLong(f[1]);
                if (parent >= 0) {
                    parents.put(pid, parent);
                }
            }
        }
        return parents;
    }

    /** The given processes and all their descendants, from the parent links of {@link #parents()}, sorted. */
    public Set<Long> withDescendants(Collection<Long> roots) {
        return withDescendants(roots, parents());
    }

    /**
     * The given processes and all their descendants from parent links read once (so that several trees of one
     * moment cost one scan of {@code /proc}), sorted.
     */
    public static Set<Long> withDescendants(Collection<Long> roots, Map<Long, Long> parents) {
        Map<Long, List<Long>> children = new HashMap<>();
        parents.forEach((pid, parent) -> children.computeIfAbsent(parent, k -> new ArrayList<>()).add(pid));
        Set<Long> tree = new TreeSet<>(roots);
        Deque<Long> work = new ArrayDeque<>(roots);
        while (!work.isEmpty()) {
            for (long child : children.getOrDefault(work.pop(), List.of())) {
                if (tree.add(child)) {
                    work.push(child);
                }
            }
        }
        return tree;
    }

    /**
     * The CPUs a process may run on ({@code Cpus_allowed_list} of {@code /proc/PID/status}, e.g. {@code 0-1}),
     * or null when it is gone or unreadable.
     */
    public @Nullable String cpusAllowedList(long pid) {
        String text = read(root.resolve(Long.toString(pid)).resolve("status"));
        if (text == null) {
            return null;
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring("Cpus_allowed_list:".length()).trim();
            }
        }
        return null;
    }

    /** A process's name ({@code comm}, at most 15 characters), or null when it is gone. */
    public @Nullable String processName(long pid) {
        String text = read(root.resolve(Long.toString(pid)).resolve("comm"));
        return text == null ? null : text.strip();
    }

    /** A process's command line arguments, or an empty list when it is gone or unreadable. */
    public List<String> commandLine(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(root.resolve(Long.toString(pid)).resolve("cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < bytes.length) {
                args.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
            }
            return args;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The socket inodes listening on a TCP port, on any local address, IPv4 ({@code net/tcp}) and IPv6
     * ({@code net/tcp6}).
     */
    public Set<Long> listeningInodes(int port) {
        Set<Long> inodes = new TreeSet<>();
        String wanted = String.format("%04X", port);
        for (String table : new String[] {"tcp", "tcp6"}) {
            String text = read(root.resolve("net").resolve(table));
            if (text == null) {
                continue;
            }
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[0].endsWith(":")) {
                    continue;
                }
                int colon = f[1].lastIndexOf(':');
                if (colon < 0 || !f[1].substring(colon + 1).equalsIgnoreCase(wanted) || !TCP_LISTEN.equals(f[3])) {
                    continue;
                }
                long inode = parseLong(f[9]);
                if (inode > 0) {
                    inodes.add(inode);
                }
            }
        }
        return inodes;
    }

    /**
     * The processes holding any of the given socket inodes open (their {@code fd/N} links read
     * {@code socket:[inode]}). Processes whose descriptors this user may not read are not seen.
     */
    public Set<Long> pidsHoldingSockets(Set<Long> inodes) {
        Set<Long> holders = new TreeSet<>();
        if (inodes.isEmpty()) {
            return holders;
        }
        Set<String> targets = new java.util.HashSet<>();
        for (long inode : inodes) {
            targets.add("socket:[" + inode + "]");
        }
        for (long pid : pids()) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(root.resolve(Long.toString(pid)).resolve("fd"))) {
                for (Path fd : fds) {
                    try {
                        if (targets.contains(Files.readSymbolicLink(fd).toString())) {
                            holders.add(pid);
                            break;
                        }
                    } catch (IOException | UnsupportedOperationException e) {
                        // The descriptor closed while it was read, or is not a link: not the socket.
                        continue;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Another user's process, or one that exited: its descriptors cannot be read.
                continue;
            }
        }
        return holders;
    }

    /** The ids of every process directory. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 19) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return pids;
    }

    /** The fields of {@code /proc/PID/stat} after the command name, starting with the state (field 3). */
    private String @Nullable [] statFields(long pid) {
        String text = read(root.resolve(Long.toString(pid)).resolve("stat"));
        if (text == null) {
            return null;
        }
        // The command name is in parentheses and may itself hold spaces and parentheses: cut at the last ')'.
        int close = text.lastIndexOf(')');
        if (close < 0 || close + 2 > text.length()) {
            return null;
        }
        return text.substring(close + 2).trim().split("\\s+");
    }

    private static @Nullable String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
