package dev.orket.core.sweep;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The known key nearest to a misspelled one, for "did you mean" hints. */
final class KeyHint {

    private KeyHint() {}

    /**
     * The known key with the smallest edit distance to {@code unknown} (case-insensitive), or null when
     * none is within a third of the key's length (at least 2 edits) or contains it: a hint only where it is
     * likely.
     */
    static @Nullable String nearest(String unknown, Collection<String> known) {
        String wanted = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            // A shortened or lengthened name (max_tokens for max_output_tokens) is a likely slip too.
            boolean contained = wanted.length() >= 3 && (lower.contains(wanted) || wanted.contains(lower)
                    || List.of(lower.split("_")).containsAll(List.of(wanted.split("_"))));
            int distance = contained ? 1 : distance(wanted, lower);
            if (distance < bestDistance || (distance == bestDistance && best != null && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(2, unknown.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    private static int distance(String a, String b) {
        // Keys are short; a hostile key is cut so the table stays small.
        String x = a.length() > 64 ? a.substring(0, 64) : a;
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
