package dev.orket.core.sweep;

import dev.orket.core.inventory.QuantType;
import java.util.Comparator;

/**
 * Orders quant tags from the highest precision down, by their nominal bits per weight
 * ({@link QuantType}); tags it does not know come last, in name order. The first quant of a model is its
 * baseline.
 *
 * @since 0.1
 */
public final class QuantOrder {

    /** Highest bits per weight first; unknown tags last. */
    public static final Comparator<String> HIGHER_PRECISION_FIRST = Comparator
            .comparingDouble(QuantOrder::bitsPerWeightOrZero)
            .reversed()
            .thenComparing(Comparator.naturalOrder());

    private QuantOrder() {}

    private static double bitsPerWeightOrZero(String tag) {
        QuantType type = QuantType.fromTag(tag);
        return type == null ? 0.0 : type.bitsPerWeight();
    }
}
