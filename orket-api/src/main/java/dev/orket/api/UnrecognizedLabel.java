package dev.orket.api;

import java.util.Objects;

/**
 * A label value a newer writer put in an artifact that this reader does not know, kept as written. The
 * typed field holds its vocabulary's {@code UNRECOGNIZED} constant; this keeps the raw spelling so that
 * nothing is lost and a record written back carries the value it was read with.
 *
 * @param field the JSON path of the value, e.g. {@code failure_kind}, {@code run_quality_reasons},
 *     {@code metric_provenance.prompt_tokens}, {@code controls_applied.seed.status}
 * @param value the raw spelling, never null
 * @since 0.1
 */
public record UnrecognizedLabel(String field, String value) implements Comparable<UnrecognizedLabel> {

    public UnrecognizedLabel {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public int compareTo(UnrecognizedLabel other) {
        int byField = field.compareTo(other.field);
        return byField != 0 ? byField : value.compareTo(other.value);
    }
}
