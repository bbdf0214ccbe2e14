package dev.orket.core.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The exclusive lock of an output directory, held for a whole sweep, demo or report so that two
 * processes never write one directory. It is an operating-system lock ({@link FileChannel#tryLock})
 * on {@value #LOCK_FILE} in the directory, so it is released when its holder exits, however it
 * exits; the file says who holds it:
 * <pre>
 * {"pid":41213,"acquired_at":"2025-06-01T10:15:30Z"}
 * </pre>
 * A holder that ended without releasing (a SIGKILL) leaves its line behind; the next process takes
 * the lock over, replaces the line and reports the stale holder through {@link #staleHolderPid()}.
 * The file is never deleted: deleting it would let a process that opened the old file and a process
 * that creates a new one both believe they hold the lock.
 *
 * @since 0.1
 */
public final class OutputLock implements AutoCloseable {

    /** The lock file in the output directory. */
    public static final String LOCK_FILE = ".orket-lock";

    /**
     * The locked byte: past the holder's line, so readers can read the line on systems where locks
     * are mandatory.
     */
    private static final long LOCK_POSITION = 4096;

    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d{1,19})");
    private static final Pattern SINCE = Pattern.compile("\"acquired_at\"\\s*:\\s*\"([^\"]{1,64})\"");

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;
    private final @Nullable Long staleHolderPid;

    private OutputLock(Path directory, FileChannel channel, FileLock lock, @Nullable Long staleHolderPid) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
        this.staleHolderPid = staleHolderPid;
    }

    /**
     * Creates the directory when needed and takes its lock.
     *
     * @throws OutputDirectoryInUseException naming the directory and the holder's pid when another
     *     process (or another sweep in this one) holds it
     * @throws UncheckedIOException naming the directory and the cause when it cannot be created or locked
     */
    public static OutputLock acquire(Path directory) {
        return acquire(directory, Clock.systemUTC());
    }

    static OutputLock acquire(Path directory, Clock clock) {
        Path file = directory.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock(LOCK_POSITION, 1, false);
            } catch (OverlappingFileLockException e) {
                // This JVM already holds it (another sweep on the same directory): the same refusal.
                lock = null;
            }
            String holder = read(channel);
            if (lock == null) {
                channel.close();
                throw new OutputDirectoryInUseException(directory, match(PID, holder) == null ? null
                        : Long.valueOf(match(PID, holder)), match(SINCE, holder));
            }
            String stale = match(PID, holder);
            String line = "{\"pid\":" + ProcessHandle.current().pid() + ",\"acquired_at\":\"" + clock.instant()
                    + "\"}\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new OutputLock(directory, channel, lock, stale == null ? null : Long.valueOf(stale));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot prepare output directory " + directory + ": "
                    + IoCause.describe(e), e);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) LOCK_POSITION);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // Reads the holder's line; it is far shorter than the locked position.
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static @Nullable String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing with the first error.
            }
        }
    }

    /** The locked directory. */
    public Path directory() {
        return directory;
    }

    /** Whether this lock is held on {@code dir} (compared as absolute, normalized paths). */
    public boolean covers(Path dir) {
        return directory.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize());
    }

    /**
     * The pid of a holder that ended without releasing the lock (killed), whose lock this one took
     * over, or null when the lock was free.
     */
    public @Nullable Long staleHolderPid() {
        return staleHolderPid;
    }

    /** Clears the holder's line and releases the lock; the file stays. */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.truncate(0);
                channel.force(true);
                lock.release();
            }
        } catch (IOException e) {
            // The lock goes with the channel below; a line left behind only reads as a stale holder later.
        } finally {
            closeQuietly(channel);
        }
    }
}
