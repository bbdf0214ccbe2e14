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
 * <p>A KV-cache model makes the context matter: prompt time grows with the prompt's length (each token
 * attends to those before it), decode slows with the tokens held in the KV cache, and VRAM grows with
 * the context the server holds ({@link #atContext(int)}, as {@code -c} does for llama-server). An
 * optional seeded jitter ({@link #withJitter(double, long)}) varies each run's prompt and decode speed
 * deterministically, keyed on the {@code X-Orket-Run-Id} header a provider sends.
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
    /** Context size the simulated server reports unless started at another ({@link #atContext(int)}). */
    public static final int CONTEXT_SIZE = 2048;
    /** KV cache bytes per token of context: {@code 2 × LAYERS × KV_HEADS × HEAD_DIM × 2} = 64 KiB. */
    public static final long KV_BYTES_PER_TOKEN = 2L * 16 * 16 * 64 * 2;
    /** KV cache at {@link #CONTEXT_SIZE}: 64 KiB per token. */
    public static final long KV_CACHE_MIB = CONTEXT_SIZE / 16;

    /**
     * Prompt time per (token, earlier token) pair, in model milliseconds: attention makes each prompt token cost
     * more the more tokens precede it, so prompt time is {@code n × promptMsPerToken + n(n − 1)/2 ×} this.
     */
    public static final double PROMPT_ATTENTION_MS = 2e-5;

    /**
     * Decode time per token per token held in the KV cache, in model milliseconds: each generated token reads the
     * KV cache as it reads the weights, 64 KiB per cached token at the bandwidth that reads the weights in
     * {@code 0.75 × bpw} ms (≈ 0.000357 ms), rounded up.
     */
    public static final double KV_READ_MS_PER_TOKEN = 0.0004;

    /** The relative jitter {@code orket demo} plays: each run's prompt and decode time within ±2 %. */
    public static final double DEMO_JITTER = 0.02;

    /** The request header whose value keys a run's jitter (the core transport sends the run id in it). */
    public static final String RUN_ID_HEADER = "X-Orket-Run-Id";
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
    private final int contextSize;
    private final double jitter;
    private final long jitterSeed;

    private SimulatedQuantFamily(String name, double speedFactor, List<QuantProfile> quants, int contextSize,
            double jitter, long jitterSeed) {
        this.name = Objects.requireNonNull(name, "name");
        if (!(speedFactor > 0)) {
            throw new IllegalArgumentException("speedFactor must be > 0 but was " + speedFactor);
        }
        if (contextSize < 1) {
            throw new IllegalArgumentException("contextSize must be >= 1 but was " + contextSize);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1) but was " + jitter);
        }
        this.speedFactor = speedFactor;
        this.quants = List.copyOf(quants);
        this.contextSize = contextSize;
        this.jitter = jitter;
        this.jitterSeed = jitterSeed;
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
        return new SimulatedQuantFamily(name, speedFactor, quants, CONTEXT_SIZE, 0.0, 0L);
    }

    /**
     * The same family served at another context, as llama-server started with {@code -c context}: {@code /props}
     * reports it, and each quant's VRAM holds a KV cache of that many tokens.
     */
    public SimulatedQuantFamily atContext(int context) {
        List<QuantProfile> atContext = new ArrayList<>();
        for (QuantProfile q : quants) {
            atContext.add(new QuantProfile(q.tag(), q.ftype(), q.bitsPerWeight(), q.generationMsPerToken(),
                    q.promptMsPerToken(), q.weightsMib() + kvCacheMib(context) + MARGIN_MIB, q.deviationFraction(),
                    context));
        }
        return new SimulatedQuantFamily(name, speedFactor, atContext, context, jitter, jitterSeed);
    }

    /**
     * The same family with run-to-run jitter: each run's prompt time and decode time per token are multiplied by
     * {@code 1 + fraction × u}, with {@code u} uniform in [−1, 1) and drawn, independently for prompt and decode,
     * from a hash of the request's {@code X-Orket-Run-Id} header and {@code seed}: the same run id always gets the
     * same factors (a resumed sweep measures what an uninterrupted one does), a request without the header gets
     * none. The reported {@code timings} carry the jittered times.
     *
     * @param fraction the largest relative change, in [0, 1); 0 for none
     * @param seed the jitter's seed
     */
    public SimulatedQuantFamily withJitter(double fraction, long seed) {
        return new SimulatedQuantFamily(name, speedFactor, quants, contextSize, fraction, seed);
    }

    /** The family {@code orket demo} sweeps: {@link #standard()} with {@link #DEMO_JITTER} seeded 42. */
    public static SimulatedQuantFamily demo() {
        return standard().withJitter(DEMO_JITTER, 42L);
    }

    /** The KV cache in MiB for a context: {@code ceil(context × 64 KiB / 1 MiB)}. */
    public static long kvCacheMib(int context) {
        return (context * KV_BYTES_PER_TOKEN + (1L << 20) - 1) >> 20;
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

    /** The context the server reports and holds a KV cache for, in tokens. */
    public int contextSize() {
        return contextSize;
    }

    /** The relative jitter of each run's prompt and decode time (0: none). */
    public double jitter() {
        return jitter;
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
     * The quant the documented parameters say should win, judged on the quality the pipeline measures: among quants
     * whose measured quality over {@code outputTokens} tokens ({@link QuantProfile#measuredQuality(int)}) is at least
     * {@code qualityFloor} times the best quant's, the fastest decoder; ties go to the smaller VRAM.
     */
    public QuantProfile expectedWinner(double qualityFloor, int outputTokens) {
        double best = quants.stream().mapToDouble(q -> q.measuredQuality(outputTokens)).max().orElse(1.0);
        return quants.stream().filter(q -> q.measuredQuality(outputTokens) >= qualityFloor * best - 1e-12)
                .max(Comparator.comparingDouble(QuantProfile::generationTokensPerSecond)
                        .thenComparing(Comparator.comparingLong(QuantProfile::vramMib).reversed()))
                .orElseThrow();
    }

    /** {@link #expectedWinner(double, int)} over 16 output tokens, what {@code orket demo} asks for. */
    public QuantProfile expectedWinner(double qualityFloor) {
        return expectedWinner(qualityFloor, 16);
    }

    /**
     * Prompt time in model milliseconds (before the speed factor and jitter):
     * {@code n × promptMsPerToken + n(n − 1)/2 × PROMPT_ATTENTION_MS}.
     */
    public static double promptMs(QuantProfile quant, int promptTokens) {
        return promptTokens * quant.promptMsPerToken() + PROMPT_ATTENTION_MS * promptTokens * (promptTokens - 1) / 2.0;
    }

    /**
     * Decode time per token in model milliseconds (before the speed factor and jitter) with {@code cachedTokens} in
     * the KV cache: {@code generationMsPerToken + KV_READ_MS_PER_TOKEN × cachedTokens}. A run's cache holds its
     * prompt; the few tokens it generates are neglected, so every gap of a run is the same.
     */
    public static double generationMs(QuantProfile quant, int cachedTokens) {
        return quant.generationMsPerToken() + KV_READ_MS_PER_TOKEN * cachedTokens;
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
     * The timeline the server plays for a quant and prompt size without jitter, in scaled (real) time: headers at 0,
     * first token after the prompt time ({@link #promptMs}), one token per decode time ({@link #generationMs} with
     * the prompt in the KV cache), final event right after the last token, no client overhead and no load.
     */
    public ScriptTimeline timeline(QuantProfile quant, int promptTokens) {
        return timeline(quant, promptTokens, null);
    }

    /**
     * The timeline of one run: {@link #timeline(QuantProfile, int)} with its prompt time and its decode gap
     * multiplied by the run's jitter factors ({@link #promptJitter}, {@link #generationJitter}).
     *
     * @param runId the run's id (the {@code X-Orket-Run-Id} header), or null for no jitter
     */
    public ScriptTimeline timeline(QuantProfile quant, int promptTokens, @Nullable String runId) {
        Duration prompt = scaled(promptMs(quant, promptTokens) * promptJitter(runId));
        Duration gap = scaled(generationMs(quant, promptTokens) * generationJitter(runId));
        return new ScriptTimeline(Duration.ZERO, prompt, gap, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** The factor a run's prompt time is multiplied by: {@code 1 + jitter × u}, u in [−1, 1); 1 without a run id. */
    public double promptJitter(@Nullable String runId) {
        return jitterFactor(runId, 0x9807L);
    }

    /** The factor a run's decode time per token is multiplied by, drawn independently of {@link #promptJitter}. */
    public double generationJitter(@Nullable String runId) {
        return jitterFactor(runId, 0x6E4EL);
    }

    private double jitterFactor(@Nullable String runId, long channel) {
        if (runId == null || jitter == 0.0) {
            return 1.0;
        }
        // 53 uniform bits in [0, 1), then [-1, 1): identical on every JVM.
        double u = (mix(fnv1a(runId), jitterSeed, channel, 0x717E5L) >>> 11) * 0x1.0p-53;
        return 1.0 + jitter * (2.0 * u - 1.0);
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
                        : LlamaCppScripts.props(modelName(quant), quant.ftype(), contextSize);
            }
            case "/models":
            case "/v1/models":
                return LlamaCppScripts.models(quants.stream().map(this::modelName).toList(),
                        quants.stream().map(QuantProfile::ftype).toList(), contextSize);
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
        if (answer.promptTokens() >= contextSize) {
            // As llama-server: a prompt that does not fit the context is refused, never silently cut.
            return json(400, LlamaCppJson.error(400, "request (" + answer.promptTokens() + " tokens) exceeds the"
                    + " available context size (" + contextSize + " tokens), try increasing it",
                    "exceed_context_size_error"));
        }
        ScriptTimeline timeline = timeline(quant.get(), answer.promptTokens(), request.header(RUN_ID_HEADER));
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
