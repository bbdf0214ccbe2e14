package dev.orket.core.vram;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The VRAM analysis of one cell: model × quant tag × context.
 *
 * @param model the model (family) name
 * @param quantTag the quant tag, or null when the runs carried none
 * @param context the context size in tokens the KV cache is computed at, or null when unknown
 * @param contextSource where the context came from, or null when unknown
 * @param breakdown where the cell's peak VRAM went
 * @param trend VRAM left in use after each run, and its slope
 * @param flags what the thresholds flag, sorted
 * @param unavailableReasons why each absent figure is absent, by JSON field name
 * @since 0.1
 */
public record VramCell(
        String model,
        @Nullable String quantTag,
        @Nullable Integer context,
        @Nullable ContextSource contextSource,
        Breakdown breakdown,
        Trend trend,
        List<VramFlag> flags,
        Map<String, VramUnavailableReason> unavailableReasons) {

    public VramCell {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(breakdown, "breakdown");
        Objects.requireNonNull(trend, "trend");
        flags = List.copyOf(new TreeSet<>(flags));
        unavailableReasons = Collections.unmodifiableMap(new TreeMap<>(unavailableReasons));
    }

    /** Where a cell's context size came from, most trusted first. */
    public enum ContextSource implements dev.orket.api.JsonNamed {
        /** {@code server_context_size} of the cell's runs: what the server said it used. */
        SERVER_REPORTED("server_reported"),
        /** The sweep manifest's {@code context_size}: what the sweep asked for. */
        CONFIGURED("configured"),
        /** The matched model facts' {@code context}. */
        MODEL_FACTS("model_facts");

        private final String jsonName;

        ContextSource(String jsonName) {
            this.jsonName = jsonName;
        }

        @Override
        public String jsonName() {
            return jsonName;
        }
    }

    /**
     * Peak VRAM split into what is explained and what is not, in MiB.
     *
     * @param weightsMib the model's weights, or null without facts
     * @param kvCacheMib the KV cache at the cell's context, or null
     * @param baselineMib VRAM in use before the model loaded (lowest sample of the cell's first run), or null
     * @param measuredPeakMib the highest VRAM sample of the cell, or null without samples
     * @param unexplainedMib {@code peak − baseline − weights − KV}: runtime context, compute buffers,
     *     fragmentation, leaks; negative when the facts overestimate; null when any term is absent
     * @param unexplainedShare {@code unexplained / (peak − baseline)}, or null
     * @param factsSource where weights and KV shape came from, or null
     */
    public record Breakdown(
            @Nullable Long weightsMib,
            @Nullable Long kvCacheMib,
            @Nullable Long baselineMib,
            @Nullable Long measuredPeakMib,
            @Nullable Long unexplainedMib,
            @Nullable Double unexplainedShare,
            @Nullable String factsSource) {}

    /**
     * VRAM left in use after each run of the cell, in execution order.
     *
     * @param runs runs of the cell (every phase)
     * @param postRunMib the last sample of each run that has samples, in MiB
     * @param slopeMibPerRun the least-squares slope of {@code postRunMib} over run number, or null
     */
    public record Trend(int runs, List<Long> postRunMib, @Nullable Double slopeMibPerRun) {
        public Trend {
            postRunMib = List.copyOf(postRunMib);
        }
    }
}
