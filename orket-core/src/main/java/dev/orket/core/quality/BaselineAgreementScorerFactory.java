package dev.orket.core.quality;

/**
 * {@code baseline_agreement}: how closely an output matches the highest-precision quant's output for
 * the same prompt and seed, as normalized token-level edit similarity
 * {@code 1 − levenshtein(a, b) / max(|a|, |b|)} over white-space separated tokens (1 when both are
 * empty).
 *
 * <p>Bounded in time and memory for any output (a server that ignores its token limit can send
 * millions): the common leading and trailing tokens are set aside first (that never changes the
 * distance), then the differing middles are compared exactly when each has at most
 * {@link #EXACT_TOKENS} tokens. Beyond that only their first {@link #EXACT_TOKENS} tokens are compared
 * and every token past them counts as one edit: an upper bound of the distance, so the score is then a
 * lower bound of the exact one and never overstates agreement. Time O(|a| + |b| + EXACT_TOKENS²),
 * memory O(EXACT_TOKENS) besides the two texts; the texts are never split whole.
 *
 * @since 0.1
 */
public final class BaselineAgreementScorerFactory implements QualityScorerFactory {

    /** The most differing tokens per output compared exactly (docs/quality-scorers.md). */
    public static final int EXACT_TOKENS = 4096;

    @Override
    public String id() {
        return "baseline_agreement";
    }

    @Override
    public QualityScorer create(ScorerConfig config) {
        return new QualityScorer() {
            @Override
            public String id() {
                return "baseline_agreement";
            }

            @Override
            public double score(ScoringInput input) {
                String baseline = input.baselineOutput();
                if (baseline == null) {
                    throw new IllegalArgumentException("baseline_agreement needs the baseline (highest-precision quant) "
                            + "output for the same prompt and seed, which is missing");
                }
                return similarity(input.output(), baseline, EXACT_TOKENS);
            }
        };
    }

    /**
     * The similarity of two texts' token sequences, exact when their differing middles have at most
     * {@code window} tokens each, else the lower bound described on the class.
     */
    static double similarity(String a, String b, int window) {
        Tokens x = new Tokens(a);
        Tokens y = new Tokens(b);
        long longest = Math.max(x.count, y.count);
        if (longest == 0) {
            return 1.0;
        }
        // Common leading tokens.
        int xAt = x.begin;
        int yAt = y.begin;
        long prefix = 0;
        Tokens.Span xs = new Tokens.Span();
        Tokens.Span ys = new Tokens.Span();
        while (x.next(xAt, x.end, xs) && y.next(yAt, y.end, ys) && xs.sameAs(a, ys, b)) {
            xAt = xs.end;
            yAt = ys.end;
            prefix++;
        }
        // Common trailing tokens, never reaching back into the prefix.
        int xEnd = x.end;
        int yEnd = y.end;
        long suffix = 0;
        long room = Math.min(x.count, y.count) - prefix;
        while (suffix < room && x.previous(xAt, xEnd, xs) && y.previous(yAt, yEnd, ys) && xs.sameAs(a, ys, b)) {
            xEnd = xs.start;
            yEnd = ys.start;
            suffix++;
        }
        long xMiddle = x.count - prefix - suffix;
        long yMiddle = y.count - prefix - suffix;
        String[] xTokens = x.first(xAt, xEnd, window);
        String[] yTokens = y.first(yAt, yEnd, window);
        long distance = levenshtein(xTokens, yTokens)
                + Math.max(xMiddle - xTokens.length, yMiddle - yTokens.length);
        distance = Math.min(distance, Math.max(xMiddle, yMiddle));
        return 1.0 - (double) distance / longest;
    }

    static long levenshtein(String[] a, String[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            current[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int substitution = previous[j - 1] + (a[i - 1].equals(b[j - 1]) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length];
    }

    /**
     * The tokens of a text as {@code text.strip().split("\\s+")} has them, walked in place: the text is
     * stripped of {@link Character#isWhitespace} at both ends and split at runs of
     * {@code [ \t\n\x0B\f\r]}.
     */
    private static final class Tokens {
        final String text;
        final int begin;
        final int end;
        final long count;

        /** Where one token lies: {@code [start, end)}. */
        static final class Span {
            int start;
            int end;

            boolean sameAs(String text, Span other, String otherText) {
                int length = end - start;
                return length == other.end - other.start && text.regionMatches(start, otherText, other.start, length);
            }
        }

        Tokens(String text) {
            this.text = text;
            int b = 0;
            int e = text.length();
            while (b < e && Character.isWhitespace(text.charAt(b))) {
                b++;
            }
            while (e > b && Character.isWhitespace(text.charAt(e - 1))) {
                e--;
            }
            begin = b;
            end = e;
            long n = 0;
            Span span = new Span();
            for (int at = begin; next(at, end, span); at = span.end) {
                n++;
            }
            count = n;
        }

        private static boolean separator(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
        }

        /** The first token in {@code [from, to)} into {@code span}; false when there is none. */
        boolean next(int from, int to, Span span) {
            int i = from;
            while (i < to && separator(text.charAt(i))) {
                i++;
            }
            if (i >= to) {
                return false;
            }
            span.start = i;
            while (i < to && !separator(text.charAt(i))) {
                i++;
            }
            span.end = i;
            return true;
        }

        /** The last token in {@code [from, to)} into {@code span}; false when there is none. */
        boolean previous(int from, int to, Span span) {
            int i = to;
            while (i > from && separator(text.charAt(i - 1))) {
                i--;
            }
            if (i <= from) {
                return false;
            }
            span.end = i;
            while (i > from && !separator(text.charAt(i - 1))) {
                i--;
            }
            span.start = i;
            return true;
        }

        /** At most {@code limit} tokens of {@code [from, to)}, from the first. */
        String[] first(int from, int to, int limit) {
            java.util.List<String> out = new java.util.ArrayList<>();
            Span span = new Span();
            for (int at = from; out.size() < limit && next(at, to, span); at = span.end) {
                out.add(text.substring(span.start, span.end));
            }
            return out.toArray(new String[0]);
        }
    }
}
