package dev.orket.core.sweep;

import dev.orket.api.ConfigurationException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Another process holds the lock of an output directory: wait for it to finish or write elsewhere.
 *
 * @since 0.1
 */
public final class OutputDirectoryInUseException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    /** The directory. */
    private final transient Path directory;

    /** The holder's process id, or null when it could not be read. */
    private final @Nullable Long holderPid;

    OutputDirectoryInUseException(Path directory, @Nullable Long holderPid, @Nullable String since) {
        super("Output directory " + directory + " is in use by another Orket process (pid "
                + (holderPid == null ? "unknown" : holderPid.toString()) + (since == null ? "" : ", since " + since)
                + "); wait for it to finish or choose another --out. Two processes writing one directory would"
                + " duplicate runs.");
        this.directory = directory;
        this.holderPid = holderPid;
    }

    /** The locked directory. */
    public Path directory() {
        return directory;
    }

    /** The holder's process id, or null when the lock file did not say. */
    public @Nullable Long holderPid() {
        return holderPid;
    }
}
