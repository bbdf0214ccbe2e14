package dev.orket.core.host;

import java.util.Objects;

/**
 * One process found to be the measured server's, and how it was found.
 *
 * @param pid the process id
 * @param name the executable's base name, or empty when it could not be read
 * @param foundBy {@code pid} (named by whoever started it), {@code listening_port}, {@code process_name} or
 *     {@code descendant}
 * @since 0.1
 */
public record ServerProcess(long pid, String name, String foundBy) {

    public ServerProcess {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(foundBy, "foundBy");
    }
}
