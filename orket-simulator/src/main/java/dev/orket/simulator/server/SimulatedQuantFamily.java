package dev.orket.simulator.server;

import dev.orket.api.FinishReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One model in many quantizations, served over llama-server's native dialect by a deterministic
 * model of speed, quality and VRAM ({@code docs/simulated-quant-family.md}). A request selects the
 * quant by its {@code model} field, {@code <family>:<TAG>} (e.g. {@code tiny-llama:Q4_K_M}, tag
 * case-insensitive). Routes: {@code GET /health}, {@code GET /props?model=…}, {@code GET /v1/models}
 * ({@code /models}), {@code POST /completion} (streaming or not).
 *
 * <p>On a server without a virtual clock the answers take real time: the model's milliseconds times
 * the speed factor, and the reported {@code timings} are exactly those scaled milliseconds. With a
 * virtual clock the same timeline plays exactly on it.
 *
 * @since 0.1
 */
public final class SimulatedQuantFamily implements Dispatcher {

    /** The default family name. */
    public static final String DEFAULT_NAME = "tiny-llama";
    /** Parameters of the simulated model. */
    public static final double PARAMETER_COUNT = 1.1e9;
    /** Context size the simulated server reports. */
    public static final int CONTEXT_SIZE = 2048;
    /** KV cache at {@link #CONTEXT_SIZE}: 64 KiB per token. */
    public static final long KV_CACHE_MIB = CONTEXT_SIZE / 16;
    /** Runtime margin (compute buffers, CUDA context). */
    public static final long MARGIN_MIB = 256;

    /**
     * Transformer blocks of the simulated model. With {@link #KV_HEADS} heads of {@link #HEAD_DIM}
     * for K and for V in f16, a token takes {@code 2 × 16 × 16 × 64 × 2} = 64 KiB of KV cache: the
     * {@link #KV_CACHE_MIB} at {@link #CONTEXT_SIZE}.
     */
    public static final int LAYERS = 16;

    /** Key/value heads per block of the simulated model. */
    public static final int KV_HEADS = 16;

    /** Dimension of each key and value head of the simulated model. */
    public static final int HEAD_DIM = 64;

    /** The default speed factor: real milliseconds per model millisecond. */
    public static final double DEFAULT_SPEED_FACTOR = 0.1;

    private static final String[] VOCABULARY = {" the", " a", " quick", " brown", " fox", " jumps", " over", " lazy",
        " dog", " and", " runs", " far", " away", " from", " home", " while", " birds", " sing", " in", " trees", " on",
        " sunny", " days", " with", " bright", " light", " that", " falls", " across", " green", " fields", " where",
        " rivers", " flow", " softly", " past", " old", " stone", " bridges", " built", " long", " ago", " by", " people",
        " who", " loved", " quiet", " evenings", " near", " warm", " fires", " telling", " stories", " of", " distant",
        " lands", " beyond", " high", " mountains", " under", " silver", " moons", " at", " night"};

    private final String name;
    private final double speedFactor;
    private final List<QuantProfile> quants;

    private SimulatedQuantFamily(String name, double speedFactor, List<QuantProfile> quants) {
        this.name = Objects.requireNonNull(name, "name");
        if (!(speedFactor > 0)) {
            throw new IllegalArgumentException("speedFactor must be > 0 but was " + speedFactor);
        }
        this.speedFactor = speedFactor;
        this.quants = List.copyOf(quants);
    }

    /** The default family: {@code tiny-llama} in F16, Q8_0, Q6_K, Q5_K_M, Q4_K_M, Q3_K_M, Q2_K at speed factor 0.1. */
    public static SimulatedQuantFamily standard() {
        return of(DEFAULT_NAME, DEFAULT_SPEED_FACTOR);
    }

    /** The default quants under another name and speed factor. */
    public static SimulatedQuantFamily of(String name, double speedFactor) {
        List<QuantProfile> quants = List.of(profile("F16", "F16", 16.0), profile("Q8_0", "Q8_0", 8.5),
                profile("Q6_K", "Q6_K", 6.5625), profile("Q5_K_M", "Q5_K - Medium", 5.69),
                profile("Q4_K_M", "Q4_K - Medium", 4.85), profile("Q3_K_M", "Q3_K - Medium", 3.91),
                profile("Q2_K", "Q2_K - Medium", 2.63));
        return new SimulatedQuantFamily(name, speedFactor, quants);
    }

    /**
     * The profile the documented formulas give a quant of the given bits per weight:
     * generation ms/token = 2.0 + 0.75 bpw; prompt ms/token = 0.1 + 0.02 bpw;
     * VRAM MiB = ceil(1.1e9 bpw / 8 / 2^20) + 128 + 256; deviation = 0 for bpw >= 16, else
     * min(1, 0.9 exp(-(bpw - 2) / 1.2)).
     */
    public static QuantProfile profile(String tag, String ftype, double bitsPerWeight) {
        double generationMs = 2.0 + 0.75 * bitsPerWeight;
        double promptMs = 0.1 + 0.02 * bitsPerWeight;
        long weightsMib = (long) Math.ceil(PARAMETER_COUNT * bitsPerWeight / 8.0 / (1024.0 * 1024.0));
        double deviation = bitsPerWeight >= 16.0 ? 0.0 : Math.min(1.0, 0.9 * Math.exp(-(bitsPerWeight - 2.0) / 1.2));
        return new QuantProfile(tag, ftype, bitsPerWeight, generationMs, promptMs, weightsMib + KV_CACHE_MIB + MARGIN_MIB,
                deviation);
    }

    public String name() {
        return name;
    }

    public double speedFactor() {
        return speedFactor;
    }

    /** The quants, highest precision first. */
    public List<QuantProfile> quants() {
        return quants;
    }

    /** The model name that selects a quant, e.g. {@code tiny-llama:Q4_K_M}. */
    public String modelName(QuantProfile quant) {
        return name + ":" + quant.tag();
    }

    /** The quant a model name selects, or empty for another family or an unknown tag. */
    public Optional<QuantProfile> quant(@Nullable String modelName) {
        if (modelName == null) {
            return Optional.empty();
        }
        int colon = modelName.lastIndexOf(':');
        if (colon < 0 || !modelName.substring(0, colon).equals(name)) {
            return Optional.empty();
        }
        String tag = modelName.substring(colon + 1).toUpperCase(Locale.ROOT);
        return quants.stream().filter(q -> q.tag().equals(tag)).findFirst();
    }

    /** The quant by tag (case-insensitive). @throws IllegalArgumentException naming the tags when unknown */
    public QuantProfile quantByTag(String tag) {
        return quant(name + ":" + tag).orElseThrow(() -> new IllegalArgumentException("unknown quant tag '" + tag
                + "'; the family has " + quants.stream().map(QuantProfile::tag).toList()));
    }

    /**
     * The quant the documented parameters say should win: among quants whose expected quality is at
     * least {@code qualityFloor} times the best quant's, the fastest decoder; ties go to the smaller VRAM.
     */
    public QuantProfile expectedWinner(double qualityFloor) {
        double best = quants.stream().mapToDouble(QuantProfile::expectedQuality).max().orElse(1.0);
        return quants.stream().filter(q -> q.expectedQuality() >= qualityFloor * best)
                .max(Comparator.comparingDouble(QuantProfile::generationTokensPerSecond)
                        .thenComparing(Comparator.comparingLong(QuantProfile::vramMib).reversed()))
                .orElseThrow();
    }

    /** Prompt tokens the model counts: whitespace-separated words plus one BOS token. */
    public static int promptTokens(String prompt) {
        String trimmed = prompt.trim();
        return 1 + (trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length);
    }

    /** The baseline (F16) output for a prompt and seed: {@code count} tokens from a fixed 64-word vocabulary. */
    public static List<String> baseline(String prompt, long seed, int count) {
        long promptHash = fnv1a(prompt);
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tokens.add(VOCABULARY[baselineIndex(promptHash, seed, i)]);
        }
        return tokens;
    }

    /**
     * The quant's output: the baseline, except at the {@code floor(deviation × count)} positions with
     * the smallest position scores (a hash of prompt, seed and position, the same for every quant, so
     * lower-bit deviations include higher-bit ones), which hold a different vocabulary word.
     */
    public static List<String> generate(QuantProfile quant, String prompt, long seed, int count) {
        long promptHash = fnv1a(prompt);
        int deviating = (int) Math.floor(quant.deviationFraction() * count);
        List<Integer> positions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            positions.add(i);
        }
        positions.sort(Comparator.comparingLong((Integer i) -> mix(promptHash, seed, i, 0x5EED_5C0EL) >>> 1)
                .thenComparingInt(i -> i));
        boolean[] deviates = new boolean[count];
        for (int k = 0; k < deviating; k++) {
            deviates[positions.get(k)] = true;
        }
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int base = baselineIndex(promptHash, seed, i);
            if (deviates[i]) {
                int shift = 1 + (int) Long.remainderUnsigned(mix(promptHash, seed, i, 0xD1FFL), VOCABULARY.length - 1);
                tokens.add(VOCABULARY[(base + shift) % VOCABULARY.length]);
            } else {
                tokens.add(VOCABULARY[base]);
            }
        }
        return tokens;
    }

    /** The fraction of positions where two outputs agree (1.0 for two empty outputs). */
    public static double agreement(List<String> baseline, List<String> output) {
        int n = Math.max(baseline.size(), output.size());
        if (n == 0) {
            return 1.0;
        }
        int same = 0;
        for (int i = 0; i < Math.min(baseline.size(), output.size()); i++) {
            same += baseline.get(i).equals(output.get(i)) ? 1 : 0;
        }
        return (double) same / n;
    }

    /**
     * The timeline the server plays for a quant and prompt size, in scaled (real) time: headers at 0,
     * first token after the prompt time, one token per generation time, final event right after the
     * last token, no client overhead and no load.
     */
    public ScriptTimeline timeline(QuantProfile quant, int promptTokens) {
        Duration prompt = scaled(quant.promptMsPerToken() * promptTokens);
        Duration gap = scaled(quant.generationMsPerToken());
        return new ScriptTimeline(Duration.ZERO, prompt, gap, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    private Duration scaled(double modelMs) {
        return Duration.ofNanos(Math.round(modelMs * speedFactor * 1_000_000.0));
    }

    /** The answer the family gives a prompt: the quant's tokens, the prompt's token count, stopped by the length limit. */
    public Answer answer(QuantProfile quant, String prompt, long seed, int maxTokens) {
        return new Answer(modelName(quant), generate(quant, prompt, seed, maxTokens), promptTokens(prompt), 0,
                FinishReason.LENGTH);
    }

    @Override
    public Script dispatch(RecordedRequest request) {
        switch (request.path()) {
            case "/health":
            case "/v1/health":
                return LlamaCppScripts.health();
            case "/props": {
                String model = request.queryParameter("model");
                QuantProfile quant = model == null ? quantByTag("Q4_K_M") : quant(model).orElse(null);
                return quant == null ? modelNotFound(model)
                        : LlamaCppScripts.props(modelName(quant), quant.ftype(), CONTEXT_SIZE);
            }
            case "/models":
            case "/v1/models":
                return LlamaCppScripts.models(quants.stream().map(this::modelName).toList(),
                        quants.stream().map(QuantProfile::ftype).toList(), CONTEXT_SIZE);
            case "/completion":
            case "/completions":
                return completion(request);
            default:
                return LlamaCppScripts.notFound();
        }
    }

    private Script completion(RecordedRequest request) {
        String model = request.jsonField("model");
        String prompt = request.jsonField("prompt");
        if (prompt == null) {
            return LlamaCppScripts.errorScript(400);
        }
        if (model == null) {
            return json(400, LlamaCppJson.error(400, "'model' is required: " + name + ":<TAG>, one of "
                    + quants.stream().map(QuantProfile::tag).toList(), "invalid_request_error"));
        }
        Optional<QuantProfile> quant = quant(model);
        if (quant.isEmpty()) {
            return modelNotFound(model);
        }
        int maxTokens = parseInt(request.jsonField("n_predict"), 16);
        long seed = parseLong(request.jsonField("seed"), 42L);
        boolean stream = "true".equals(request.jsonField("stream"));
        Answer answer = answer(quant.get(), prompt, seed, Math.max(1, maxTokens));
        ScriptTimeline timeline = timeline(quant.get(), answer.promptTokens());
        return ServerDialect.LLAMACPP_COMPLETION.script(stream, answer, timeline);
    }

    private Script modelNotFound(@Nullable String model) {
        return json(404, LlamaCppJson.error(404, "model '" + model + "' not found; known: "
                + quants.stream().map(this::modelName).toList(), "not_found_error"));
    }

    private static Script json(int status, String body) {
        return Script.builder(status).header("Server", "llama.cpp").header("Content-Type", LlamaCppJson.JSON_UTF8)
                .head(Duration.ZERO, Await.NOTHING).data(Duration.ZERO, body.getBytes(StandardCharsets.UTF_8), Await.NOTHING)
                .end(Duration.ZERO, Await.TERMINAL).build();
    }

    private static int parseInt(@Nullable String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(@Nullable String text, long fallback) {
        try {
            return text == null ? fallback : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int baselineIndex(long promptHash, long seed, int position) {
        return (int) Long.remainderUnsigned(mix(promptHash, seed, position, 0xBA5EL), VOCABULARY.length);
    }

    /** SplitMix64 finalizer over the inputs: deterministic on every JVM. */
    static long mix(long a, long b, long c, long salt) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + c * 0x94D049BB133111EBL + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the UTF-8 bytes. */
    static long fnv1a(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
