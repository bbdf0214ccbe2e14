package dev.orket.core.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.inventory.QuantType;
import dev.orket.core.kpi.IncomparableResultsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Picks the (model, quant, context) that meets every {@link SelectionConstraints} from one or more
 * sweep summaries of one lane and profile, by the frontier's rules ({@code docs/frontier.md}):
 * among eligible candidates, those no other eligible candidate dominates (quality higher, speed
 * higher, VRAM lower) come first, ordered by speed ↓, quality ↓, VRAM ↑, bits per weight ↓, then
 * model, quant tag, context and source for determinism; the first two are told apart as the
 * recommender does (speed intervals apart → speed; else quality intervals apart → quality; else the
 * smaller VRAM within noise). See {@code docs/model-selector.md}.
 *
 * <p>Candidates: each valid-run cell of a summary at the sweep's single context (the manifest's
 * {@code context_size} beside the summary, else unknown), except that a quant listed in the
 * summary's {@code context_ceilings} is offered once per context it ran at, with that context's
 * medians.
 *
 * @since 0.1
 */
public final class ModelSelector {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Comparator<Candidate> ORDER = Comparator
            .comparing((Candidate c) -> c.figures().speed(), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(c -> c.figures().quality(), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(c -> c.figures().vramMib(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Candidate::bitsPerWeight, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Candidate::model)
            .thenComparing(Candidate::quantTag, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Candidate::context, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Candidate::source);

    private ModelSelector() {}

    /**
     * Selects from summary files.
     *
     * @throws IncomparableResultsException when the summaries do not share one lane and profile
     * @throws ArtifactFormatException naming the file and field when a summary cannot be read
     */
    public static Selection select(List<Path> summaries, SelectionConstraints constraints) {
        if (summaries.isEmpty()) {
            throw new IllegalArgumentException("select needs at least one summary");
        }
        List<Candidate> candidates = new ArrayList<>();
        ExecutionLane lane = null;
        VramProfile profile = null;
        String first = null;
        for (Path file : summaries) {
            JsonNode summary = readJson(file);
            ExecutionLane l = ExecutionLane.fromJson(requireText(summary, "execution_lane", file));
            VramProfile p = VramProfile.fromJson(requireText(summary, "vram_profile", file));
            if (lane == null) {
                lane = l;
                profile = p;
                first = file.toString();
            } else if (l != lane || p != profile) {
                throw new IncomparableResultsException("Summaries " + first + " (" + lane.jsonName() + "/"
                        + profile.jsonName() + ") and " + file + " (" + l.jsonName() + "/" + p.jsonName()
                        + ") differ in lane or VRAM profile; results are comparable only when both match. Select from"
                        + " summaries of one lane and profile.");
            }
            candidates.addAll(candidates(summary, file, sweepContext(file)));
        }
        return select(lane, profile, candidates, constraints);
    }

    /** Selects among candidates already read (the blocks are recomputed from the constraints). */
    static Selection select(ExecutionLane lane, VramProfile profile, List<Candidate> offered,
            SelectionConstraints constraints) {
        List<Candidate> eligible = new ArrayList<>();
        List<Candidate> blocked = new ArrayList<>();
        for (Candidate candidate : offered) {
            Candidate judged = candidate.blocked(blocks(candidate, constraints));
            (judged.eligible() ? eligible : blocked).add(judged);
        }
        Set<Candidate> dominated = new HashSet<>();
        for (Candidate a : eligible) {
            for (Candidate b : eligible) {
                if (a != b && dominates(b, a)) {
                    dominated.add(a);
                    break;
                }
            }
        }
        List<Candidate> ordered = new ArrayList<>();
        eligible.stream().filter(c -> !dominated.contains(c)).sorted(ORDER).forEach(ordered::add);
        eligible.stream().filter(dominated::contains).sorted(ORDER).forEach(ordered::add);
        blocked.sort(Comparator.comparing(Candidate::label).thenComparing(Candidate::source));
        List<Candidate> all = new ArrayList<>(ordered);
        all.addAll(blocked);
        List<String> reasons = new ArrayList<>();
        if (ordered.isEmpty()) {
            reasons.add("no candidate meets every constraint (" + offered.size() + " offered)");
            for (Candidate c : blocked) {
                reasons.add(c.label() + ": " + describe(c, constraints));
            }
            return new Selection(lane, profile, constraints, null, null, null, reasons, all);
        }
        Candidate winner = ordered.get(0);
        Candidate runnerUp = ordered.size() > 1 ? ordered.get(1) : null;
        String decision = "only_candidate";
        if (runnerUp != null && !dominated.contains(runnerUp)) {
            Decided decided = decide(winner, runnerUp);
            winner = decided.winner;
            runnerUp = decided.runnerUp;
            decision = decided.decision;
        }
        reasons.add(String.format(Locale.ROOT, "%s meets every constraint: quality %s ≥ %s, peak VRAM %s MiB ≤ %d MiB%s%s",
                winner.label(), number(winner.figures().quality()), number(constraints.qualityFloor()),
                number(winner.figures().vramMib()), constraints.vramBudgetMib(),
                constraints.latencyCeilingMs() == null ? ""
                        : ", TTFT " + number(winner.figures().ttftMs()) + " ms ≤ " + number(constraints.latencyCeilingMs())
                                + " ms",
                constraints.context() == null ? "" : ", context " + winner.context() + " ≥ " + constraints.context()));
        reasons.add(decisionSentence(decision, winner, runnerUp, ordered.size()));
        if (!blocked.isEmpty()) {
            reasons.add(blocked.size() + " of " + offered.size() + " candidates blocked (see candidates)");
        }
        return new Selection(lane, profile, constraints, winner, runnerUp, decision, reasons, all);
    }

    private record Decided(Candidate winner, Candidate runnerUp, String decision) {}

    /** The recommender's comparison of the first two frontier members. */
    private static Decided decide(Candidate a, Candidate b) {
        Candidate.Interval sa = a.figures().speedCi();
        Candidate.Interval sb = b.figures().speedCi();
        if (sa != null && sb != null && sa.separateFrom(sb)) {
            return a.figures().speed() >= b.figures().speed() ? new Decided(a, b, "speed") : new Decided(b, a, "speed");
        }
        Candidate.Interval qa = a.figures().qualityCi();
        Candidate.Interval qb = b.figures().qualityCi();
        if (qa != null && qb != null && qa.separateFrom(qb)) {
            return a.figures().quality() >= b.figures().quality() ? new Decided(a, b, "quality")
                    : new Decided(b, a, "quality");
        }
        double va = a.figures().vramMib();
        double vb = b.figures().vramMib();
        if (va != vb) {
            return va < vb ? new Decided(a, b, "smaller_vram_within_noise") : new Decided(b, a, "smaller_vram_within_noise");
        }
        return new Decided(a, b, "ranking_within_noise");
    }

    private static String decisionSentence(String decision, Candidate winner, @Nullable Candidate runnerUp,
            int eligible) {
        if (runnerUp == null) {
            return "the only candidate that meets every constraint";
        }
        String versus = String.format(Locale.ROOT, " (%s tok/s, quality %s, %s MiB vs runner-up %s: %s tok/s, quality %s,"
                + " %s MiB)", number(winner.figures().speed()), number(winner.figures().quality()),
                number(winner.figures().vramMib()), runnerUp.label(), number(runnerUp.figures().speed()),
                number(runnerUp.figures().quality()), number(runnerUp.figures().vramMib()));
        switch (decision) {
            case "speed":
                return "faster than the runner-up beyond run-to-run noise" + versus;
            case "quality":
                return "better quality than the runner-up beyond run-to-run noise" + versus;
            case "smaller_vram_within_noise":
                return "within noise of the runner-up on speed and quality; the smaller VRAM footprint wins" + versus;
            case "ranking_within_noise":
                return "within noise of the runner-up and the same VRAM; the frontier's ordering decides" + versus;
            default:
                return "dominates every other of the " + eligible + " eligible candidates" + versus;
        }
    }

    /** a dominates b: no worse on quality, speed and VRAM, better on one. */
    private static boolean dominates(Candidate a, Candidate b) {
        double qa = a.figures().quality();
        double qb = b.figures().quality();
        double sa = a.figures().speed();
        double sb = b.figures().speed();
        double va = a.figures().vramMib();
        double vb = b.figures().vramMib();
        return qa >= qb && sa >= sb && va <= vb && (qa > qb || sa > sb || va < vb);
    }

    static List<SelectionBlock> blocks(Candidate c, SelectionConstraints constraints) {
        List<SelectionBlock> blocks = new ArrayList<>();
        Candidate.Figures f = c.figures();
        if (Boolean.FALSE.equals(f.contextPassed())) {
            blocks.add(SelectionBlock.CONTEXT_FAILED);
        }
        if (constraints.context() != null) {
            if (c.context() == null) {
                blocks.add(SelectionBlock.CONTEXT_UNKNOWN);
            } else if (c.context() < constraints.context()) {
                blocks.add(SelectionBlock.BELOW_CONTEXT);
            }
        }
        if (f.quality() == null) {
            blocks.add(SelectionBlock.QUALITY_UNKNOWN);
        } else if (f.quality() < constraints.qualityFloor()) {
            blocks.add(SelectionBlock.BELOW_QUALITY_FLOOR);
        }
        if (f.speed() == null) {
            blocks.add(SelectionBlock.SPEED_UNKNOWN);
        }
        if (f.vramMib() == null) {
            blocks.add(SelectionBlock.VRAM_UNKNOWN);
        } else if (f.vramMib() > constraints.vramBudgetMib()) {
            blocks.add(SelectionBlock.OVER_VRAM_BUDGET);
        }
        if (constraints.latencyCeilingMs() != null) {
            if (f.ttftMs() == null) {
                blocks.add(SelectionBlock.LATENCY_UNKNOWN);
            } else if (f.ttftMs() > constraints.latencyCeilingMs()) {
                blocks.add(SelectionBlock.OVER_LATENCY_CEILING);
            }
        }
        return blocks;
    }

    private static String describe(Candidate c, SelectionConstraints constraints) {
        List<String> parts = new ArrayList<>();
        Candidate.Figures f = c.figures();
        for (SelectionBlock block : c.blockedBy()) {
            switch (block) {
                case BELOW_QUALITY_FLOOR:
                    parts.add("quality " + number(f.quality()) + " < floor " + number(constraints.qualityFloor()));
                    break;
                case OVER_VRAM_BUDGET:
                    parts.add("peak VRAM " + number(f.vramMib()) + " MiB > budget " + constraints.vramBudgetMib() + " MiB");
                    break;
                case OVER_LATENCY_CEILING:
                    parts.add("TTFT " + number(f.ttftMs()) + " ms > ceiling " + number(constraints.latencyCeilingMs())
                            + " ms");
                    break;
                case BELOW_CONTEXT:
                    parts.add("context " + c.context() + " < asked " + constraints.context());
                    break;
                default:
                    parts.add(block.jsonName());
            }
        }
        return String.join("; ", parts);
    }

    /** Candidates of one summary. */
    static List<Candidate> candidates(JsonNode summary, Path file, @Nullable Integer sweepContext) {
        String sweepId = summary.path("sweep_id").isTextual() ? summary.path("sweep_id").asText() : file.toString();
        List<ContextCeiling> ceilings = ContextCeilingsReader.read(summary, file.toString());
        Set<String> fromCeilings = new HashSet<>();
        List<Candidate> candidates = new ArrayList<>();
        JsonNode cells = summary.path("cells");
        if (!cells.isArray()) {
            throw new ArtifactFormatException("summary " + file + ": cells must be an array but was " + cells);
        }
        if (ceilings != null) {
            for (ContextCeiling ceiling : ceilings) {
                fromCeilings.add(ceiling.model() + "\u0000" + ceiling.quantTag());
                for (ContextCeiling.PerContext c : ceiling.perContext()) {
                    // A context sweep's summary cell of the same (model, quant, context) has the median intervals.
                    JsonNode metrics = cellAt(cells, ceiling.model(), ceiling.quantTag(), c.context()).path("metrics");
                    candidates.add(new Candidate(ceiling.model(), ceiling.quantTag(), c.context(),
                            new Candidate.Figures(c.quality(), interval(metrics, "quality_score"), c.speed(),
                                    interval(metrics, "generation_tokens_per_second"), c.vramMib(), c.ttftMs(),
                                    c.passed()),
                            bitsPerWeight(ceiling.quantTag()), sweepId + " context_ceilings", List.of()));
                }
            }
        }
        for (JsonNode cell : cells) {
            if (!"valid_runs".equals(cell.path("row_kind").asText("valid_runs")) || cell.path("valid_runs").asLong() == 0) {
                continue;
            }
            String model = requireText(cell, "model", file);
            String tag = cell.path("quant_tag").isTextual() ? cell.path("quant_tag").asText() : null;
            if (fromCeilings.contains(model + "\u0000" + tag)) {
                continue;
            }
            JsonNode metrics = cell.path("metrics");
            // A cell whose runs asked for a context says it; else the sweep's single context.
            Integer context = cell.path("context").canConvertToInt() && cell.path("context").asInt() > 0
                    ? Integer.valueOf(cell.path("context").asInt()) : sweepContext;
            candidates.add(new Candidate(model, tag, context,
                    new Candidate.Figures(median(metrics, "quality_score"), interval(metrics, "quality_score"),
                            median(metrics, "generation_tokens_per_second"),
                            interval(metrics, "generation_tokens_per_second"), median(metrics, "peak_vram_used_mb"),
                            median(metrics, "client_ttft_ms"), null),
                    bitsPerWeight(tag), sweepId, List.of()));
        }
        return candidates;
    }

    /** The valid-run cell of a summary for (model, quant, context), or a missing node. */
    private static JsonNode cellAt(JsonNode cells, String model, String quant, int context) {
        for (JsonNode cell : cells) {
            if ("valid_runs".equals(cell.path("row_kind").asText("valid_runs")) && model.equals(cell.path("model")
                    .asText()) && quant.equals(cell.path("quant_tag").asText()) && cell.path("context").asInt() == context) {
                return cell;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static @Nullable Double bitsPerWeight(@Nullable String tag) {
        QuantType type = QuantType.fromTag(tag);
        return type == null ? null : type.bitsPerWeight();
    }

    private static @Nullable Double median(JsonNode metrics, String name) {
        JsonNode value = metrics.path(name).path("median");
        return value.isNumber() ? value.asDouble() : null;
    }

    private static Candidate.@Nullable Interval interval(JsonNode metrics, String name) {
        JsonNode ci = metrics.path(name).path("median_ci");
        if (ci.path("lower").isNumber() && ci.path("upper").isNumber()) {
            return new Candidate.Interval(ci.path("lower").asDouble(), ci.path("upper").asDouble());
        }
        return null;
    }

    /** The sweep's single context: {@code context_size} of the manifest beside the summary, else null. */
    private static @Nullable Integer sweepContext(Path summaryFile) {
        Path parent = summaryFile.toAbsolutePath().getParent();
        Path manifest = parent == null ? null : parent.resolve("sweep_manifest.json");
        if (manifest == null || !Files.isRegularFile(manifest)) {
            return null;
        }
        JsonNode context = readJson(manifest).path("context_size");
        return context.isIntegralNumber() && context.canConvertToInt() ? context.asInt() : null;
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new ArtifactFormatException(file + " must hold a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ArtifactFormatException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }

    private static String requireText(JsonNode node, String field, Path file) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new ArtifactFormatException("summary " + file + ": field " + field + " must be a string but was '"
                    + value + "'; select reads summaries of a single lane and profile");
        }
        return value.asText();
    }

    static String number(@Nullable Double value) {
        if (value == null) {
            return "unknown";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf(value.longValue());
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
