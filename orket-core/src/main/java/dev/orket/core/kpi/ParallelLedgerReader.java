package dev.orket.core.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.orket.core.artifact.ArtifactFormatException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a JSONL ledger as {@link LedgerReader} does, in chunks split at line starts, on several
 * threads, each with its own {@link KpiAggregator}, merged at the end. Lines are read by
 * {@link LedgerLineScanner}; a line it leaves to Jackson is read by Jackson, with the same checks (one
 * object per line, {@code run_id} once, the sweep). The chunked pass counts every run it reads, so it
 * holds only for a ledger whose run ids are all distinct; it notes each run id's 64-bit hash, and when
 * any repeats (a retried attempt, a duplicated line, or a hash collision) the ledger is read again by
 * {@link LedgerReader}, which resolves attempts exactly. So does any failure &mdash; a record that does not
 * pass, a line longer than {@link #MAX_LINE_BYTES} &mdash; so that results and error messages (with
 * their line numbers) are always exactly the sequential reader's.
 */
final class ParallelLedgerReader {

    /** Bytes per chunk: enough chunks to balance two to sixteen threads on a busy machine. */
    static final long CHUNK_BYTES = 16L << 20;

    /** Below this size a ledger is read on the calling thread. */
    static final long PARALLEL_THRESHOLD = 8L << 20;

    private static final int BLOCK_BYTES = 1 << 20;

    /** A longer line goes to the sequential reader, which streams it. */
    static final int MAX_LINE_BYTES = 16 << 20;

    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private final Path ledger;
    private final QualityScores scores;
    private final RunPolicy policy;
    private final LedgerCheck check;

    ParallelLedgerReader(Path ledger, QualityScores scores, RunPolicy policy, LedgerCheck check) {
        this.ledger = ledger;
        this.scores = scores;
        this.policy = policy;
        this.check = check;
    }

    /**
     * What a read gave.
     *
     * @param reading what {@link LedgerReader} gives for the ledger
     * @param readSequentially whether the ledger went to the sequential reader (repeated run ids or a failure)
     */
    record Outcome(LedgerReading reading, boolean readSequentially) {}

    /** Reads the ledger in chunks of about {@link #CHUNK_BYTES} on up to {@code threads} threads. */
    Outcome read(int threads) {
        try (FileChannel channel = FileChannel.open(ledger, StandardOpenOption.READ)) {
            long size = channel.size();
            List<Long> splits = new ArrayList<>();
            long chunks = Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
            for (long k = 1; k < chunks; k++) {
                splits.add(size / chunks * k);
            }
            return read(channel, size, splits, size < PARALLEL_THRESHOLD ? 1 : threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ledger " + ledger + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the ledger split at the line starts at or after the given byte offsets.
     *
     * @param splitOffsets byte offsets, in any order; each moves forward to the next line start
     * @param threads the number of threads, at least 1
     */
    Outcome read(List<Long> splitOffsets, int threads) {
        try (FileChannel channel = FileChannel.open(ledger, StandardOpenOption.READ)) {
            return read(channel, channel.size(), splitOffsets, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ledger " + ledger + ": " + e.getMessage(), e);
        }
    }

    private Outcome read(FileChannel channel, long size, List<Long> splitOffsets, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
        }
        List<Long> bounds = lineStarts(channel, size, splitOffsets);
        int workers = Math.min(threads, bounds.size() - 1);
        AtomicInteger nextChunk = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<Worker> all = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            all.add(new Worker(channel, bounds, nextChunk, failed));
        }
        if (workers == 1) {
            all.get(0).run();
        } else if (workers > 1) {
            List<Thread> started = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                Thread thread = new Thread(all.get(i), "orket-ledger-" + i);
                thread.setDaemon(true);
                thread.start();
                started.add(thread);
            }
            joinAll(started, failed);
        }
        boolean repeated = !failed.get() && anyRepeated(all);
        if (failed.get() || repeated) {
            // Exact results and messages: the sequential reader resolves attempts and names bad lines.
            return new Outcome(new KpiAggregator(policy).addLedger(ledger, scores, check), true);
        }
        KpiAggregator total = new KpiAggregator(policy);
        Set<String> seen = new HashSet<>();
        for (Worker worker : all) {
            total.merge(worker.aggregator);
            seen.addAll(worker.runIdsSeen);
        }
        Set<String> planned = check.plannedRunIds();
        List<String> missing = List.of();
        long unplanned = 0;
        if (planned != null) {
            TreeSet<String> absent = new TreeSet<>(planned);
            absent.removeAll(seen);
            missing = List.copyOf(absent);
            unplanned = seen.stream().filter(id -> !planned.contains(id)).count();
        }
        return new Outcome(new LedgerReading(total.summary(workers > 1), List.of(), 0, missing, unplanned), false);
    }

    /**
     * Whether any run id hash occurs twice in the whole file: each worker sorted its own hashes when it
     * finished, so one merge pass over the sorted arrays finds every repeat, across workers too.
     */
    private static boolean anyRepeated(List<Worker> workers) {
        int k = workers.size();
        int[] at = new int[k];
        long previous = 0;
        boolean first = true;
        while (true) {
            int min = -1;
            for (int w = 0; w < k; w++) {
                Worker worker = workers.get(w);
                if (at[w] < worker.hashCount && (min < 0 || worker.hashes[at[w]] < workers.get(min).hashes[at[min]])) {
                    min = w;
                }
            }
            if (min < 0) {
                return false;
            }
            long next = workers.get(min).hashes[at[min]++];
            if (!first && next == previous) {
                return true;
            }
            previous = next;
            first = false;
        }
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
        /** The 64-bit hash of every run id counted (LedgerReader.RunIdTable.hash), sorted once done. */
        long[] hashes = new long[1024];
        int hashCount;
        /** The run ids counted, kept only when the plan is checked. */
        final Set<String> runIdsSeen = new HashSet<>();
        private final LedgerLineScanner scanner = new LedgerLineScanner();
        private final LedgerScanner jackson = new LedgerScanner();
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
                // Sorted here, on this thread, so that finding repeats afterwards is one merge pass.
                Arrays.sort(hashes, 0, hashCount);
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

        /** Reads the complete lines of {@code buffer[0, have)} (all of it when {@code last}); returns the bytes consumed. */
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
                        count();
                    }
                    lineStart = at + 1;
                    continue;
                }
                if (status >= 0 && at == have && last) {
                    if (status == 1) {
                        count();
                    }
                    return have;
                }
                int lineEnd = indexOf(b, '\n', lineStart, have);
                if (lineEnd < 0 && !last) {
                    return lineStart;
                }
                int stop = lineEnd < 0 ? have : lineEnd;
                if (readWithJackson(b, lineStart, stop)) {
                    count();
                }
                lineStart = stop + 1;
            }
            return Math.min(lineStart, have);
        }

        /**
         * The line {@code b[start, stop)} read as {@link LedgerReader} reads it; false for a blank line.
         *
         * @throws ArtifactFormatException when the sequential reader would refuse the line
         */
        private boolean readWithJackson(byte[] b, int start, int stop) throws IOException {
            int length = stop - start;
            if (length > 0 && b[stop - 1] == '\r') {
                length--;
            }
            if (LedgerReader.isBlank(b, start, length)) {
                return false;
            }
            try (JsonParser parser = FACTORY.createParser(b, start, length)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new ArtifactFormatException("not one JSON object");
                }
                jackson.read(parser, sample);
                if (parser.nextToken() != null) {
                    throw new ArtifactFormatException("more than one JSON object");
                }
            }
            return true;
        }

        /** Counts the sample as the sequential reader counts a run that occurs once. */
        private void count() {
            String sweep = check.sweepId();
            if (sweep != null && sample.sweepId != null && !sweep.equals(sample.sweepId)) {
                throw new ArtifactFormatException("a record of another sweep");
            }
            if (hashCount == hashes.length) {
                hashes = Arrays.copyOf(hashes, hashes.length * 2);
            }
            hashes[hashCount++] = LedgerReader.RunIdTable.hash(sample.runId);
            if (check.plannedRunIds() != null) {
                runIdsSeen.add(sample.runId);
            }
            aggregator.addSample(sample, LedgerReader.scoreOf(scores, sample));
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
