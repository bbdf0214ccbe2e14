package dev.orket.sidecar.nvidia.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads one raw nvidia-smi value token: decides whether it is absent and strips its unit.
 *
 * <p>Tokens as printed, with and without {@code nounits}: {@code 81559 MiB}, {@code 81559},
 * {@code 631.95 W}, {@code 100 %}, {@code 59}, {@code 33 C} (XML), {@code [N/A]}, {@code N/A},
 * {@code [Not Supported]}, {@code [Unknown Error]}, {@code [Requested functionality has been deprecated]}.
 */
public final class ValueToken {

    private static final Pattern NUMBER_WITH_UNIT =
            Pattern.compile("([-+]?[0-9]+(?:\\.[0-9]+)?)(?:\\s*([A-Za-z%/]+))?");
    private static final Pattern PSTATE = Pattern.compile("P[0-9]{1,2}");

    private ValueToken() {}

    /**
     * Whether a trimmed token means "no value": anything in brackets, {@code N/A}, {@code -}, empty,
     * or the XML spelling of a deprecated field.
     */
    public static boolean isAbsent(String token) {
        return token.isEmpty()
                || (token.startsWith("[") && token.endsWith("]"))
                || token.equalsIgnoreCase("N/A")
                || token.equals("-")
                || token.equals("Requested functionality has been deprecated");
    }

    /**
     * The number in {@code token} after removing the key's unit, or null when the token is not a
     * number in that unit.
     */
    public static @Nullable Double decimal(String token, CanonicalKey key) {
        Matcher m = NUMBER_WITH_UNIT.matcher(token);
        if (!m.matches()) {
            return null;
        }
        String unit = m.group(2);
        if (unit != null && !unit.equals(key.unit())) {
            return null;
        }
        double value = Double.parseDouble(m.group(1));
        return Double.isFinite(value) ? value : null;
    }

    /** The whole number in {@code token} after removing the key's unit, or null when it is not one. */
    public static @Nullable Long integer(String token, CanonicalKey key) {
        Matcher m = NUMBER_WITH_UNIT.matcher(token);
        if (!m.matches() || m.group(1).contains(".")) {
            return null;
        }
        String unit = m.group(2);
        if (unit != null && !unit.equals(key.unit())) {
            return null;
        }
        try {
            return Long.parseLong(m.group(1).startsWith("+") ? m.group(1).substring(1) : m.group(1));
        } catch (NumberFormatException e) {
            // More digits than a long holds: not a value nvidia-smi prints.
            return null;
        }
    }

    /** Whether the token is a performance state {@code P0}…{@code P99}. */
    public static boolean isPstate(String token) {
        return PSTATE.matcher(token).matches();
    }
}
