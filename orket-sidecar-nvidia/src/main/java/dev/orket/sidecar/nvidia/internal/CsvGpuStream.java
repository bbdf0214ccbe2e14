package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.GpuSample;
import dev.orket.api.SidecarReading;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code --query-gpu} CSV one line at a time, with or without a header row and units, and
 * groups rows into rounds (one row per GPU per round).
 *
 * <p>Wire format, {@code --format=csv,noheader,nounits} (the sampler's) and {@code --format=csv}:
 * <pre>
 * 0, GPU-00000000-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 81559, 19818, 59
 * index, uuid, name, memory.total [MiB], memory.used [MiB], temperature.gpu
 * 0, GPU-00000000-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 81559 MiB, 19818 MiB, 59
 * </pre>
 * Cells are separated by {@code ", "} and never quoted; a header row is recognised by its cells
 * all being field names; without one the caller's field list names the columns. A row with more or
 * fewer cells than columns is rejected whole ({@code invalid_format:column_count:line_<n>}, the line's
 * 1-based number): its cells cannot be assigned to columns without guessing, and a guess would put one
 * field's value in another's.
 */
public final class CsvGpuStream {

    /** Rejected rows named by line number; later ones add {@code invalid_format:column_count:more_lines}. */
    public static final int MAX_NAMED_LINES = 8;

    private static final Pattern HEADER_CELL = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*(?: \\[[^\\]]*\\])?");

    private final @Nullable List<String> queryFields;
    private final int maxSamples;
    private final Findings findings = new Findings();
    private final List<GpuSample> samples = new ArrayList<>();
    private @Nullable List<String> columns;
    private @Nullable String headerLine;
    private boolean firstLineSeen;
    private boolean ignoreRest;
    private final Set<String> roundIndices = new HashSet<>();
    private long lineNumber;
    private int rejectedRows;
    private @Nullable String roundFirstIndex;
    private long roundOffsetMs;

    /**
     * A stream for output of a query of {@code queryFields} (null when the input has its own header),
     * keeping at most {@code maxSamples} samples.
     */
    public CsvGpuStream(@Nullable List<String> queryFields, int maxSamples) {
        this.queryFields = queryFields == null ? null : List.copyOf(queryFields);
        this.maxSamples = maxSamples;
    }

    /** Feeds one line (without its line end) read at {@code offsetMs} on the session clock. */
    public void accept(String line, long offsetMs) {
        lineNumber++;
        String t = line.strip();
        if (t.isEmpty() || ignoreRest) {
            return;
        }
        if (t.charAt(0) == '\uFEFF') {
            t = t.substring(1).strip();
        }
        if (ToolMessages.record(t, findings)) {
            return;
        }
        String[] cells = split(t);
        if (!firstLineSeen) {
            firstLineSeen = true;
            if (isHeader(cells)) {
                headerLine = t;
                List<String> names = new ArrayList<>();
                for (String c : cells) {
                    names.add(QueryField.normalize(c));
                }
                if (names.contains("pid")) {
                    // --query-compute-apps output: no GPU rows; NvidiaSmiParser.parseComputeApps reads it.
                    findings.invalidFormat("compute_apps_query");
                    ignoreRest = true;
                    return;
                }
                setColumns(names);
                return;
            }
            if (queryFields == null) {
                findings.invalidFormat("missing_field_list");
                ignoreRest = true;
                return;
            }
            setColumns(queryFields);
        }
        if (t.equals(headerLine)) {
            // Some loop modes repeat the header; it is not a row.
            return;
        }
        List<String> cols = columns;
        if (cols == null) {
            return;
        }
        if (cells.length != cols.size()) {
            rejectedRows++;
            if (rejectedRows <= MAX_NAMED_LINES) {
                findings.invalidFormat("column_count:line_" + lineNumber);
            } else if (rejectedRows == MAX_NAMED_LINES + 1) {
                findings.invalidFormat("column_count:more_lines");
            }
            return;
        }
        SampleFields fields = new SampleFields();
        for (int i = 0; i < cells.length; i++) {
            QueryField f = QueryField.lookup(cols.get(i));
            if (f != null) {
                f.apply(fields, cells[i]);
            }
        }
        String index = fields.rawValue(CanonicalKey.GPU_INDEX);
        if (index != null && (roundIndices.contains(index) || index.equals(roundFirstIndex))) {
            roundIndices.clear();
            roundFirstIndex = null;
        }
        if (roundIndices.isEmpty() && roundFirstIndex == null) {
            roundOffsetMs = offsetMs;
            roundFirstIndex = index;
        }
        if (index != null) {
            roundIndices.add(index);
        }
        if (samples.size() >= maxSamples) {
            findings.add("sidecar_output_truncated", Severity.OPTIONAL);
            return;
        }
        samples.add(fields.toSample(roundOffsetMs, findings));
    }

    /** Records a code found outside the lines, e.g. by the process that produced them. */
    public void add(String code, Severity severity) {
        findings.add(code, severity);
    }

    /** Whether a code of the given severity or worse was recorded so far. */
    public boolean hasAtLeast(Severity severity) {
        return findings.hasAtLeast(severity);
    }

    /** Whether any row or tool message was seen. */
    public boolean sawContent() {
        return firstLineSeen || !findings.isEmpty();
    }

    /** The reading for every line fed so far. */
    public SidecarReading finish() {
        Findings result = new Findings();
        result.addAll(findings);
        if (!sawContent()) {
            result.invalidFormat("empty");
        } else if (samples.isEmpty() && !result.hasAtLeast(Severity.REQUIRED)) {
            result.invalidFormat("no_data");
        }
        if (samples.isEmpty() && result.hasAtLeast(Severity.UNAVAILABLE)) {
            result.add(ToolMessages.UNAVAILABLE, Severity.UNAVAILABLE);
        }
        return result.toReading(samples);
    }

    private void setColumns(List<String> names) {
        columns = List.copyOf(names);
    }

    private boolean isHeader(String[] cells) {
        boolean known = false;
        for (String c : cells) {
            if (!HEADER_CELL.matcher(c).matches()) {
                return false;
            }
            String n = QueryField.normalize(c);
            known |= QueryField.lookup(n) != null || n.equals("pid") || n.equals("timestamp")
                    || (queryFields != null && queryFields.contains(n));
        }
        return known;
    }

    static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }
}
