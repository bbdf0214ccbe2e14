package dev.orket.core.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The CPU set an {@code affinity_policy} pins a managed server to, in {@code taskset -c} list syntax:
 *
 * <ul>
 *   <li>{@code none}: no pinning (the control is not applicable);
 *   <li>{@code compact}: the first N online cores, N being the server's threads (every core when threads are
 *       not set) — neighbouring cores share caches;
 *   <li>{@code spread}: every other core, N of them, so that hyper-threaded siblings are not shared;
 *   <li>an explicit list such as {@code 0-3,6}.
 * </ul>
 *
 * @since 0.1
 */
public final class CpuAffinity {

    private CpuAffinity() {}

    /**
     * The CPU list for a policy, or null for {@code none}.
     *
     * @param policy the {@code affinity_policy} value
     * @param threads the server's threads, or null
     * @param cores the host's online cores
     * @throws IllegalArgumentException naming the policy and the accepted ones when it is none of them
     */
    public static @Nullable String cpuList(String policy, @Nullable Integer threads, int cores) {
        String p = policy.trim().toLowerCase(Locale.ROOT);
        int wanted = threads == null ? cores : Math.min(threads, cores);
        switch (p) {
            case "none":
                return null;
            case "compact":
                return wanted == 1 ? "0" : "0-" + (wanted - 1);
            case "spread":
                List<String> cpus = new ArrayList<>();
                for (int cpu = 0; cpus.size() < wanted && cpu < cores; cpu += 2) {
                    cpus.add(Integer.toString(cpu));
                }
                // Fewer than wanted even cores: fill with odd ones rather than pin fewer than the threads.
                for (int cpu = 1; cpus.size() < wanted && cpu < cores; cpu += 2) {
                    cpus.add(Integer.toString(cpu));
                }
                return String.join(",", cpus);
            default:
                parse(policy);
                return policy.trim();
        }
    }

    /** Whether a policy is known: {@code none}, {@code compact}, {@code spread} or a CPU list. */
    public static boolean isValid(String policy) {
        String p = policy.trim().toLowerCase(Locale.ROOT);
        if (p.equals("none") || p.equals("compact") || p.equals("spread")) {
            return true;
        }
        try {
            parse(policy);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The CPUs of a {@code taskset -c} list (e.g. {@code 0-3,6}), sorted.
     *
     * @throws IllegalArgumentException naming the list when it cannot be read
     */
    public static List<Integer> parse(String list) {
        TreeSet<Integer> cpus = new TreeSet<>();
        try {
            for (String part : list.trim().split(",")) {
                String range = part.trim();
                int dash = range.indexOf('-');
                if (dash < 0) {
                    cpus.add(Integer.parseInt(range));
                } else {
                    int from = Integer.parseInt(range.substring(0, dash).trim());
                    int to = Integer.parseInt(range.substring(dash + 1).trim());
                    if (to < from || to - from > 4096) {
                        throw new IllegalArgumentException("bad range " + range);
                    }
                    for (int cpu = from; cpu <= to; cpu++) {
                        cpus.add(cpu);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("affinity_policy '" + list + "' is not none, compact, spread or a CPU"
                    + " list such as 0-3,6", e);
        }
        if (cpus.isEmpty() || cpus.first() < 0) {
            throw new IllegalArgumentException("affinity_policy '" + list + "' is not none, compact, spread or a CPU"
                    + " list such as 0-3,6");
        }
        return List.copyOf(cpus);
    }
}
