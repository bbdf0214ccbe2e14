package dev.orket.core.kpi;

import dev.orket.core.policy.RunPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Aggregates a JSONL ledger in chunks split at line boundaries, on several threads, each with its
 * own {@link KpiAggregator}, merged at the end. Lines are read by {@link LedgerLineScanner}; a line
 * it leaves to Jackson is read by Jackson. Any failure &mdash; a record that does not pass, a line
 * longer than {@link #MAX_LINE_BYTES}, an object spanning lines &mdash; abandons the chunked pass and
 * reads the whole ledger again sequentially with Jackson, so that results and error messages (with
 * their line numbers) are exactly those of {@link KpiAggregator#addLedger}.
 */
final class ParallelLedgerReader {

    /** Bytes per chunk: enough chunks to balance two to sixteen threads on a busy machine. */
    static final long CHUNK_BYTES = 32L << 20;

    /** Below this size a ledger is read on the calling thread. */
    static final long PARALLEL_THRESHOLD = 8L << 20;

    private static final int BLOCK_BYTES = 1 << 20;

    /** A longer line falls back to the sequential reader (Jackson streams it without holding it). */
    static final int MAX_LINE_BYTES = 16 << 20;

    private final Path ledger;
    private final QualityScores scores;
    private final RunPolicy policy;

    ParallelLedgerReader(Path ledger, QualityScores scores, RunPolicy policy) {
        this.ledger = ledger;
        this.scores = scores;
        this.policy = policy;
    }

    /**
     * What a chunked pass gave.
     *
     * @param summary the KPIs
     * @param readSequentially whether a failure sent the whole ledger to the sequential reader
     */
    record Outcome(KpiSummary summary, boolean readSequentially) {}

    /** Aggregates the ledger in chunks of about {@link #CHUNK_BYTES} on up to {@code threads} threads. */
    Outcome aggregate(int threads) {
        try (FileChannel channel = FileChannel.open(ledger, StandardOpenOption.READ)) {
            long size = channel.size();
            List<Long> splits = new ArrayList<>();
            long chunks = Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
            for (long k = 1; k < chunks; k++) {
                splits.add(size / chunks * k);
            }
            int used = size < PARALLEL_THRESHOLD ? 1 : threads;
            return aggregate(channel, size, splits, used);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ledger " + ledger + ": " + e.getMessage(), e);
        }
    }

    /**
     * Aggregates the ledger split at the line starts at or after the given byte offsets.
     *
     * @param splitOffsets byte offsets, in any order; each moves forward to the next line start
     * @param threads the number of threads, at least 1
     */
    Outcome aggregate(List<Long> splitOffsets, int threads) {
        try (FileChannel channel = FileChannel.open(ledger, StandardOpenOption.READ)) {
            return aggregate(channel, channel.size(), splitOffsets, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ledger " + ledger + ": " + e.getMessage(), e);
        }
    }

    private Outcome aggregate(FileChannel channel, long size, List<Long> splitOffsets, int threads)
            throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
        }
        List<Long> bounds = lineStarts(channel, size, splitOffsets);
        int workers = Math.min(threads, bounds.size() - 1);
        if (workers == 0) {
            // An empty file: no chunk, no run.
            return new Outcome(new KpiAggregator(policy).summary(), false);
        }
        AtomicInteger nextChunk = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<Worker> all = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            all.add(new Worker(channel, bounds, nextChunk, failed));
        }
        if (workers == 1) {
            all.get(0).run();
        } else {
            List<Thread> started = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                Thread thread = new Thread(all.get(i), "orket-ledger-" + i);
                thread.setDaemon(true);
                thread.start();
                started.add(thread);
            }
            joinAll(started, failed);
        }
        if (failed.get()) {
            // Exact results and messages: the sequential reader decides what a ledger with a bad line means.
            return new Outcome(KpiAggregator.aggregateLedgerSequentially(ledger, scores, policy), true);
        }
        KpiAggregator total = all.get(0).aggregator;
        for (int i = 1; i < all.size(); i++) {
            total.merge(all.get(i).aggregator);
        }
        return new Outcome(total.summary(), false);
    }

    private void joinAll(List<Thread> threads, AtomicBoolean failed) throws InterruptedIOException {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    failed.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while aggregating ledger " + ledger);
        }
    }

    /** 0, the line start at or after each offset (deduplicated, in order), and the file size. */
    static List<Long> lineStarts(FileChannel channel, long size, List<Long> offsets) throws IOException {
        TreeSet<Long> starts = new TreeSet<>();
        starts.add(0L);
        starts.add(size);
        ByteBuffer window = ByteBuffer.allocate(64 << 10);
        for (long offset : offsets) {
            if (offset <= 0 || offset >= size) {
                continue;
            }
            starts.add(lineStartAtOrAfter(channel, size, offset, window));
        }
        return new ArrayList<>(starts);
    }

    private static long lineStartAtOrAfter(FileChannel channel, long size, long offset, ByteBuffer window)
            throws IOException {
        // A line starts at the offset when the byte before it is a line break.
        long at = offset - 1;
        while (at < size) {
            window.clear();
            int n = channel.read(window, at);
            if (n <= 0) {
                return size;
            }
            byte[] bytes = window.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    return at + i + 1;
                }
            }
            at += n;
        }
        return size;
    }

    /** One thread's share: takes chunks until none is left, into its own aggregator. */
    private final class Worker implements Runnable {
        private final FileChannel channel;
        private final List<Long> bounds;
        private final AtomicInteger nextChunk;
        private final AtomicBoolean failed;
        final KpiAggregator aggregator = new KpiAggregator(policy);
        private final LedgerLineScanner scanner = new LedgerLineScanner();
        private final RunSample sample = new RunSample();
        private byte[] buffer = new byte[BLOCK_BYTES];

        Worker(FileChannel channel, List<Long> bounds, AtomicInteger nextChunk, AtomicBoolean failed) {
            this.channel = channel;
            this.bounds = bounds;
            this.nextChunk = nextChunk;
            this.failed = failed;
        }

        @Override
        public void run() {
            try {
                int chunk;
                while (!failed.get() && (chunk = nextChunk.getAndIncrement()) < bounds.size() - 1) {
                    if (!readChunk(bounds.get(chunk), bounds.get(chunk + 1))) {
                        failed.set(true);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The sequential rerun reports it exactly, with its line number.
                failed.set(true);
            }
        }

        /** Reads the lines of {@code [start, end)}; false when the ledger must be read sequentially. */
        private boolean readChunk(long start, long end) throws IOException {
            long filePos = start;
            int have = 0;
            while (true) {
                if (failed.get()) {
                    return false;
                }
                int want = (int) Math.min(buffer.length - have, end - filePos);
                ByteBuffer target = ByteBuffer.wrap(buffer, have, want);
                while (target.hasRemaining()) {
                    int n = channel.read(target, filePos);
                    if (n < 0) {
                        // The file shrank under us: let the sequential reader say what it finds.
                        return false;
                    }
                    filePos += n;
                }
                have += want;
                boolean last = filePos == end;
                int consumed = readLines(have, last);
                if (consumed < 0) {
                    return false;
                }
                if (last) {
                    return true;
                }
                int remainder = have - consumed;
                if (consumed == 0 && have == buffer.length) {
                    if (buffer.length >= MAX_LINE_BYTES) {
                        return false;
                    }
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                } else {
                    System.arraycopy(buffer, consumed, buffer, 0, remainder);
                }
                have = remainder;
            }
        }

        /**
         * Reads the complete lines of {@code buffer[0, have)} (all of it when {@code last}).
         *
         * @return the bytes consumed, or -1 when a line failed
         */
        private int readLines(int have, boolean last) throws IOException {
            byte[] b = buffer;
            int lineStart = 0;
            while (lineStart < have) {
                int status;
                try {
                    status = scanner.read(b, lineStart, have, sample);
                } catch (RuntimeException e) {
                    // Read but refused: Jackson, on the whole line, has the exact verdict.
                    status = -1;
                }
                int at = scanner.position();
                if (status >= 0 && at < have && b[at] == '\n') {
                    if (status == 1) {
                        aggregator.add(sample, KpiAggregator.scoreOf(sample, scores));
                    }
                    lineStart = at + 1;
                    continue;
                }
                if (status >= 0 && at == have && last) {
                    if (status == 1) {
                        aggregator.add(sample, KpiAggregator.scoreOf(sample, scores));
                    }
                    return have;
                }
                int lineEnd = indexOf(b, '\n', lineStart, have);
                if (lineEnd < 0 && !last) {
                    return lineStart;
                }
                int stop = lineEnd < 0 ? have : lineEnd;
                aggregator.addRecords(b, lineStart, stop - lineStart, ledger.toString(), scores);
                lineStart = stop + 1;
            }
            return Math.min(lineStart, have);
        }
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

}
