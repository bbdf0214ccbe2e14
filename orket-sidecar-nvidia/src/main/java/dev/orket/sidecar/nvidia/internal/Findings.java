package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.GpuSample;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Collects error codes with their severities while input is parsed, and turns them with the samples
 * into a {@link SidecarReading}.
 *
 * <p>The status is the worst severity seen: no error is {@code OK}, so a reading is {@code OK} exactly
 * when its error list is empty.
 */
public final class Findings {

    /** Longest raw token quoted in an {@code invalid_value} code; longer ones are cut. */
    private static final int MAX_QUOTED = 40;

    /** Distinct codes kept; past it, new codes only add {@value #TRUNCATED} (and their severity still counts). */
    public static final int MAX_CODES = 256;

    /** The code that says some distinct codes were dropped at {@link #MAX_CODES}. */
    public static final String TRUNCATED = "sidecar_parse_errors_truncated";

    private final TreeMap<String, Severity> errors = new TreeMap<>();

    /** Records an error code; the worst severity wins when the same code is recorded twice. */
    public void add(String code, Severity severity) {
        if (errors.size() >= MAX_CODES && !errors.containsKey(code)) {
            // Bounded: a hostile input with a new bad value on every line must not grow the list without end.
            code = TRUNCATED;
        }
        errors.merge(code, severity, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    /** Records {@code missing:<key>} at the key's severity. */
    public void missing(CanonicalKey key) {
        add("missing:" + key.jsonName(), key.required() ? Severity.REQUIRED : Severity.OPTIONAL);
    }

    /** Records {@code invalid_value:<key>:<raw>} at the key's severity. */
    public void invalid(CanonicalKey key, String raw) {
        add("invalid_value:" + key.jsonName() + ":" + quote(raw), key.required() ? Severity.REQUIRED : Severity.OPTIONAL);
    }

    /** Records {@code invalid_format:<what>}. */
    public void invalidFormat(String what) {
        add("invalid_format:" + what, Severity.PARSE);
    }

    /** Copies every code of {@code other} into this one. */
    public void addAll(Findings other) {
        other.errors.forEach(this::add);
    }

    /** Whether any code of the given severity or worse was recorded. */
    public boolean hasAtLeast(Severity severity) {
        return errors.values().stream().anyMatch(s -> s.compareTo(severity) >= 0);
    }

    /** Whether nothing was recorded. */
    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** The reading for these samples and codes. */
    public SidecarReading toReading(List<GpuSample> samples) {
        Severity worst = null;
        for (Severity s : errors.values()) {
            if (worst == null || s.compareTo(worst) > 0) {
                worst = s;
            }
        }
        SidecarParseStatus status = worst == null ? SidecarParseStatus.OK : worst.status(samples.size());
        return new SidecarReading(samples, status, new ArrayList<>(errors.keySet()));
    }

    /** Makes a raw token safe and short enough to quote in an error code. */
    static String quote(String raw) {
        StringBuilder out = new StringBuilder();
        raw.codePoints().limit(MAX_QUOTED).forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }
}
