package dev.orket.core.quality;

import java.lang.management.ManagementFactory;

/**
 * Benchmark, not a test: times {@code baseline_agreement} on a normal output, on the largest exactly
 * compared pair and on two runaway outputs, printing milliseconds and bytes allocated per score. See
 * {@code docs/quality-scorers.md} for the command and figures.
 */
public final class BaselineAgreementBenchmark {

    private BaselineAgreementBenchmark() {}

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[][] cases = {
            {"64 tokens, 8 differing", words("t", 64, 0), words("t", 64, 8)},
            {"4,096 tokens, all differing (exact worst case)", words("a", 4096, 0), words("b", 4096, 0)},
            {"2,000,000 vs 2,000,000 tokens, all differing", words("a", 2_000_000, 0), words("b", 2_000_000, 0)},
            {"2,000,000 vs 64 tokens", words("t", 2_000_000, 0), words("t", 64, 0)},
        };
        for (String[] c : cases) {
            for (int warm = 0; warm < 3; warm++) {
                BaselineAgreementScorerFactory.similarity(c[1], c[2], BaselineAgreementScorerFactory.EXACT_TOKENS);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            double score = BaselineAgreementScorerFactory.similarity(c[1], c[2],
                    BaselineAgreementScorerFactory.EXACT_TOKENS);
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf("%-50s score %.6f  %8.1f ms  %,12d bytes allocated%n", c[0], score, ms,
                    threads.getCurrentThreadAllocatedBytes() - allocated);
        }
    }

    /** {@code n} tokens {@code prefix0 prefix1 …}, the last {@code changed} of them altered. */
    private static String words(String prefix, int n, int changed) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i >= n - changed ? "x" : prefix).append(i % 997).append(' ');
        }
        return out.toString();
    }
}
