package dev.orket.core.host;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How to find the measured server's processes, which are never foreign: process ids Orket knows (a managed
 * server it started), the loopback port the server listens on (the process holding that listening socket),
 * and process names (for remote hosts and containers, e.g. {@code ollama}, {@code llama-server}). Each root
 * brings its descendants (Ollama's {@code ollama runner} children included), followed through the run.
 *
 * @param rootPids process ids that are the server's
 * @param loopbackPort the port of a server on this host's loopback interface, or null
 * @param processNames executable names (the base name of the command, or the process's {@code comm}) that are
 *     the server's, e.g. {@code ["ollama", "llama-server"]}
 * @since 0.1
 */
public record ServerProcessRule(Set<Long> rootPids, @Nullable Integer loopbackPort, List<String> processNames) {

    /** No server process is known: every process is foreign. */
    public static final ServerProcessRule NONE = new ServerProcessRule(Set.of(), null, List.of());

    public ServerProcessRule {
        rootPids = Set.copyOf(rootPids);
        processNames = processNames.stream().map(name -> Objects.requireNonNull(name, "processNames[]")).distinct()
                .sorted().toList();
        if (loopbackPort != null && (loopbackPort <= 0 || loopbackPort > 65535)) {
            throw new IllegalArgumentException("loopbackPort must be in [1, 65535] but was " + loopbackPort);
        }
        for (String name : processNames) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("process names must not be blank");
            }
        }
    }

    /** The server is these processes (and their descendants). */
    public static ServerProcessRule ofPids(Set<Long> pids) {
        return new ServerProcessRule(pids, null, List.of());
    }

    /**
     * The server at a base URL: the process listening on its port when the host is this machine's loopback
     * ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}), plus processes of the given names.
     */
    public static ServerProcessRule forBaseUrl(URI baseUrl, List<String> processNames) {
        return new ServerProcessRule(Set.of(), loopbackPort(baseUrl), processNames);
    }

    /** This rule with more known process ids. */
    public ServerProcessRule withPids(Set<Long> pids) {
        Set<Long> all = new java.util.TreeSet<>(rootPids);
        all.addAll(pids);
        return new ServerProcessRule(all, loopbackPort, processNames);
    }

    /** Whether the rule can find nothing. */
    public boolean isEmpty() {
        return rootPids.isEmpty() && loopbackPort == null && processNames.isEmpty();
    }

    /** The port of a loopback URL (the scheme's default when it names none), or null for any other host. */
    public static @Nullable Integer loopbackPort(URI baseUrl) {
        String host = baseUrl.getHost();
        if (host == null) {
            return null;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean loopback;
        if (bare.toLowerCase(Locale.ROOT).equals("localhost")) {
            loopback = true;
        } else if (isAddressLiteral(bare)) {
            try {
                // A literal address is parsed without a DNS lookup.
                loopback = InetAddress.getByName(bare).isLoopbackAddress();
            } catch (UnknownHostException e) {
                loopback = false;
            }
        } else {
            loopback = false;
        }
        if (!loopback) {
            return null;
        }
        if (baseUrl.getPort() > 0) {
            return baseUrl.getPort();
        }
        return "https".equalsIgnoreCase(baseUrl.getScheme()) ? 443 : 80;
    }

    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }
}
