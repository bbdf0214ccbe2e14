package dev.orket.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One number of a telemetry record with its provenance, or its absence with the reason why.
 *
 * <p>Exactly one of {@code value} and {@code unavailableReason} is present; {@code provenance} is
 * present exactly when {@code value} is.
 *
 * @param value the number in the unit its field names, or null when unavailable
 * @param provenance where the number came from, or null when unavailable
 * @param unavailableReason why there is no number, or null when there is one
 * @since 0.1
 */
public record MetricValue(
        @Nullable Double value, @Nullable Provenance provenance, @Nullable UnavailableReason unavailableReason) {

    public MetricValue {
        if (value == null) {
            Objects.requireNonNull(unavailableReason, "unavailableReason is required when value is null");
            if (provenance != null) {
                throw new IllegalArgumentException("provenance must be null when value is null");
            }
        } else {
            Objects.requireNonNull(provenance, "provenance is required when value is present");
            if (unavailableReason != null) {
                throw new IllegalArgumentException("unavailableReason must be null when value is present");
            }
            if (value.isNaN() || value.isInfinite()) {
                throw new IllegalArgumentException("value must be finite but was " + value);
            }
        }
    }

    /** A present value. */
    public static MetricValue of(double value, Provenance provenance) {
        return new MetricValue(value, provenance, null);
    }

    /** An absent value with the reason why. */
    public static MetricValue unavailable(UnavailableReason reason) {
        return new MetricValue(null, null, reason);
    }

    /** Whether a value is present. */
    public boolean isPresent() {
        return value != null;
    }

    /**
     * The value.
     *
     * @throws IllegalStateException naming the reason when the value is unavailable
     */
    public double require() {
        if (value == null) {
            throw new IllegalStateException("metric unavailable: " + unavailableReason);
        }
        return value;
    }
}
