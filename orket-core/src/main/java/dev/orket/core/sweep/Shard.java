package dev.orket.core.sweep;

import dev.orket.api.ConfigurationException;

/**
 * One of {@code count} machines running parts of one sweep ({@code orket sweep CONFIG --shard I/N}). Cells are dealt
 * round-robin in plan order: cell {@code i} (from 0) belongs to shard {@code i mod N + 1}. A shard also runs the
 * baseline cell of every model it holds another cell of, so that it can score those cells against it, without owning
 * the baseline's results ({@link SweepCell#scoringOnly()}); {@code orket report DIR1 DIR2 … --out DIR} merges each
 * shard's own cells ({@code docs/sweep.md#shards}).
 *
 * @param index this shard, from 1
 * @param count how many shards the sweep is split into
 * @since 0.1
 */
public record Shard(int index, int count) {

    /** The whole sweep on one machine. */
    public static final Shard WHOLE = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("a shard is I/N with 1 <= I <= N but was " + index + "/" + count);
        }
    }

    /**
     * Reads {@code I/N}, e.g. {@code 2/4}.
     *
     * @throws ConfigurationException naming the value when it is not I/N with 1 &lt;= I &lt;= N
     */
    public static Shard parse(String text) {
        int slash = text.indexOf('/');
        try {
            if (slash > 0) {
                return new Shard(Integer.parseInt(text.substring(0, slash).trim()),
                        Integer.parseInt(text.substring(slash + 1).trim()));
            }
        } catch (IllegalArgumentException e) {
            // Reported below with the value.
        }
        throw new ConfigurationException("--shard must be I/N with 1 <= I <= N (e.g. 2/4) but was '" + text + "'");
    }

    /** Whether the sweep is split at all. */
    public boolean split() {
        return count > 1;
    }

    /** Whether this shard owns the cell at the given index (from 0) of the whole plan. */
    public boolean owns(int cellIndex) {
        return cellIndex % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
