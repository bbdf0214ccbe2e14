package dev.orket.core.sweep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ConfigurationException;
import dev.orket.api.ExecutionLane;
import dev.orket.api.PromptStyle;
import dev.orket.api.VramProfile;
import dev.orket.core.recommend.ContextThresholds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a sweep config from JSON. Every error names the key path, the offending value and what was
 * expected; an unknown key names the nearest known one; a key given twice, content after the object,
 * an integer out of its documented range and a plan larger than {@link SweepConfig#MAX_PLANNED_RUNS}
 * are errors. The Python Orket's preset names ({@code runs_per_quant}, {@code warmup_steps},
 * {@code canary_runs}, {@code canary_latency_variance_threshold}, {@code adherence_threshold},
 * {@code latency_ceiling}, {@code seed}, {@code threads}, {@code affinity_policy}) are accepted beside
 * ours, never both ({@code docs/sweep.md} lists them side by side with every range).
 *
 * @since 0.1
 */
public final class SweepConfigReader {

    /** Largest config file read, in bytes. */
    public static final long MAX_CONFIG_BYTES = 16L << 20;

    /** Deepest nesting of objects and arrays accepted; a sweep config nests 4 deep. */
    public static final int MAX_NESTING_DEPTH = 16;

    private static final long ONE_DAY_MS = 86_400_000L;
    private static final long ONE_HOUR_MS = 3_600_000L;

    private static final Set<String> ROOT = Set.of("$schema", "sweep_id", "provider", "sidecar", "models",
            "managed_server", "sessions", "controls", "seed", "threads", "affinity_policy", "repetitions",
            "runs_per_quant", "warmup_runs", "warmup_steps", "thermal_gate", "vram_preflight", "canary", "canary_runs",
            "canary_latency_variance_threshold", "adherence_threshold", "latency_ceiling", "execution_lane",
            "vram_profile", "context_size", "context_sweep", "stream", "timeout_ms", "idle_timeout_ms", "schema_version",
            "server_process_names", "max_attempts", "readiness_timeout_ms", "max_consecutive_failures");
    private static final Set<String> PROVIDER = Set.of("id", "base_url", "api_key_env", "settings", "api_key");
    private static final Set<String> SIDECAR = Set.of("id", "command", "interval_ms", "gpu_index");
    private static final Set<String> MODEL = Set.of("name", "quants", "server_model_template", "gguf_files");
    private static final Set<String> MANAGED = Set.of("executable", "args", "context_size", "threads", "gpu_layers",
            "startup_timeout_ms", "max_restarts");
    private static final Set<String> SESSION = Set.of("id", "prompt", "style", "max_output_tokens", "scorer",
            "expected");
    private static final Set<String> CONTROLS = Set.of("seed", "threads", "affinity_policy", "temperature");
    private static final Set<String> THERMAL = Set.of("enabled", "target_c", "max_wait_ms", "poll_ms", "cooldown_ms");
    private static final Set<String> PREFLIGHT = Set.of("mode", "card_vram_mib", "estimates_mib");
    private static final Set<String> CONTEXT_SWEEP = Set.of("profile", "profiles_file", "contexts", "adherence_min",
            "ttft_ceiling_ms", "decode_floor_tps", "prompt_fill");
    private static final Set<String> CANARY = Set.of("runs", "latency_variance_threshold", "adherence_threshold",
            "latency_ceiling_ms");
    /** Arguments of llama-server that Orket sets itself or that would put a key on the command line. */
    private static final List<String> RESERVED_SERVER_ARGS = List.of("--host", "--port", "--api-key",
            "--api-key-file");

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build());

    private SweepConfigReader() {}

    /** Reads a config file; a relative {@code context_sweep.profiles_file} is relative to the file's directory. */
    public static SweepConfig read(Path file) {
        return parse(readText(file), file.toString(), file.toAbsolutePath().getParent());
    }

    /**
     * Reads a config file's text (UTF-8), refusing one larger than {@link #MAX_CONFIG_BYTES}.
     *
     * @throws ConfigurationException naming the file and the cause when it cannot be read
     */
    public static String readText(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_CONFIG_BYTES) {
                throw new ConfigurationException("Sweep config " + file + " is " + size + " bytes; a config is at most "
                        + MAX_CONFIG_BYTES + " bytes. Point at the sweep's JSON config.");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read sweep config " + file + ": " + IoCause.describe(e), e);
        }
    }

    /**
     * Reads a config from JSON text; {@code source} names it in errors, and a relative
     * {@code context_sweep.profiles_file} is relative to the working directory.
     */
    public static SweepConfig parse(String json, String source) {
        return parse(json, source, null);
    }

    /**
     * Reads a config from JSON text; {@code source} names it in errors.
     *
     * @param configDirectory the directory a relative {@code context_sweep.profiles_file} is relative to (the config
     *     file's), or null for the working directory
     */
    public static SweepConfig parse(String json, String source, @Nullable Path configDirectory) {
        JsonNode root = tree(json, source);
        ConfigNode n = ConfigNode.root(root, source, ROOT, newerVersion(root, source));
        try {
            return config(n, source, TextDigest.sha256(json), configDirectory);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Sweep config " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the config declares a schema version newer than this reader's: its keys this version does not know
     * are then skipped (a reader of version N reads what version N+1 writes), while in a config of this version
     * an unknown key is an error naming the nearest known one (a misspelling must never silently lose work).
     */
    private static boolean newerVersion(JsonNode root, String source) {
        JsonNode version = root.get("schema_version");
        if (version == null || version.isNull()) {
            return false;
        }
        if (!version.isIntegralNumber() || !version.canConvertToInt() || version.asInt() < 1) {
            throw new ConfigurationException("Sweep config " + source + ": schema_version must be an integer >= 1"
                    + " but was " + ConfigNode.quote(version));
        }
        return version.asInt() > dev.orket.core.artifact.SchemaVersion.CURRENT;
    }

    private static JsonNode tree(String json, String source) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonNode root = MAPPER.readTree(parser);
            if (root == null || !root.isObject()) {
                throw new ConfigurationException("Sweep config " + source + " must be one JSON object but was "
                        + (root == null ? "empty" : ConfigNode.quote(root)));
            }
            if (parser.nextToken() != null) {
                throw new ConfigurationException("Sweep config " + source + " has content after its JSON object"
                        + line(parser.currentLocation()) + "; a config is exactly one object");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new ConfigurationException("Sweep config " + source + " nests objects or arrays deeper than "
                    + MAX_NESTING_DEPTH + " levels" + line(e.getLocation()) + "; a sweep config nests at most 4 deep",
                    e);
        } catch (JsonProcessingException e) {
            String message = String.valueOf(e.getOriginalMessage());
            if (message.startsWith("Duplicate field ")) {
                throw new ConfigurationException("Sweep config " + source + ": key "
                        + message.substring("Duplicate field ".length()) + " appears twice in one object"
                        + line(e.getLocation()) + "; keep one", e);
            }
            throw new ConfigurationException("Sweep config " + source + " is not valid JSON: " + message
                    + line(e.getLocation()), e);
        } catch (IOException e) {
            throw new ConfigurationException("Sweep config " + source + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String line(@Nullable JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " at line " + location.getLineNr();
    }

    private static SweepConfig config(ConfigNode n, String source, String digest, @Nullable Path configDirectory) {
        ConfigNode provider = n.object("provider", PROVIDER);
        if (provider.has("api_key")) {
            throw n.error("provider.api_key is not accepted, so a key never sits in a file or an artifact;"
                    + " name an environment variable in provider.api_key_env instead");
        }
        SweepConfig.ProviderSpec providerSpec = new SweepConfig.ProviderSpec(provider.text("id"),
                provider.httpUrl("base_url"), provider.optionalText("api_key_env"), provider.stringMap("settings"));
        SweepConfig.SidecarSpec sidecar = null;
        if (n.has("sidecar")) {
            ConfigNode s = n.object("sidecar", SIDECAR);
            sidecar = new SweepConfig.SidecarSpec(s.text("id"),
                    s.has("command") ? s.stringList("command", false) : List.of("nvidia-smi"),
                    Duration.ofMillis(s.longIn("interval_ms", 200, 1, ONE_HOUR_MS)), s.optionalIntIn("gpu_index", 0, 1023));
        }
        List<SweepConfig.ModelSpec> models = n.list("models", MODEL, m -> model(m));
        unique(n, "models", "name", models.stream().map(SweepConfig.ModelSpec::name).toList());
        SweepConfig.ManagedServer managed = null;
        if (n.has("managed_server")) {
            ConfigNode s = n.object("managed_server", MANAGED);
            List<String> args = s.has("args") ? s.stringList("args", true) : List.of();
            for (String arg : args) {
                for (String reserved : RESERVED_SERVER_ARGS) {
                    if (arg.equals(reserved) || arg.startsWith(reserved + "=")) {
                        throw n.error("managed_server.args must not set " + reserved + ": " + (reserved.startsWith(
                                "--api-key") ? "a key is passed to the server in a private file from"
                                        + " provider.api_key_env, never on its command line"
                                : "the managed server listens on 127.0.0.1 at a port Orket chooses"));
                    }
                }
            }
            managed = new SweepConfig.ManagedServer(Path.of(s.text("executable")), args,
                    s.optionalIntIn("context_size", 1, SweepConfig.MAX_CONTEXT_SIZE), s.optionalIntIn("threads", 1, 4096),
                    s.optionalIntIn("gpu_layers", 0, 100_000),
                    Duration.ofMillis(s.longIn("startup_timeout_ms", 120_000, 1, ONE_DAY_MS)),
                    s.intIn("max_restarts", SweepConfig.ManagedServer.DEFAULT_MAX_RESTARTS, 0, 100));
        }
        List<PromptSession> sessions = n.list("sessions", SESSION, s -> new PromptSession(s.id("id"), s.text("prompt"),
                s.has("style") ? s.named("style", PromptStyle::fromJson) : PromptStyle.COMPLETION,
                s.intIn("max_output_tokens", 64, 1, SweepConfig.MAX_OUTPUT_TOKENS),
                s.has("scorer") ? s.text("scorer") : "baseline_agreement", s.optionalText("expected")));
        unique(n, "sessions", "id", sessions.stream().map(PromptSession::id).toList());

        ConfigNode controls = n;
        if (n.has("controls")) {
            exclusive(n, "controls", "seed", "threads", "affinity_policy");
            controls = n.object("controls", CONTROLS);
        }
        ExperimentalControls experimentalControls = new ExperimentalControls(
                controls.longIn("seed", 42, 0, 4_294_967_295L), controls.optionalIntIn("threads", 1, 4096),
                controls.has("affinity_policy") ? controls.text("affinity_policy") : "none",
                controls.doubleIn("temperature", 0.0, 0.0, 100.0));
        exclusive(n, "repetitions", "runs_per_quant");
        exclusive(n, "warmup_runs", "warmup_steps");
        int repetitions = n.intIn(n.has("runs_per_quant") ? "runs_per_quant" : "repetitions", 5, 1,
                SweepConfig.MAX_REPETITIONS);
        int warmups = n.intIn(n.has("warmup_steps") ? "warmup_steps" : "warmup_runs", 1, 0, 1_000);
        ThermalGate thermal = ThermalGate.DISABLED;
        if (n.has("thermal_gate")) {
            ConfigNode t = n.object("thermal_gate", THERMAL);
            thermal = new ThermalGate(t.bool("enabled", true), t.doubleIn("target_c", 80.0, -50.0, 150.0),
                    Duration.ofMillis(t.longIn("max_wait_ms", 60_000, 0, ONE_DAY_MS)),
                    Duration.ofMillis(t.longIn("poll_ms", 1_000, 1, ONE_HOUR_MS)),
                    Duration.ofMillis(t.longIn("cooldown_ms", 0, 0, ONE_DAY_MS)));
        }
        SweepConfig.Preflight preflight = SweepConfig.Preflight.OFF;
        if (n.has("vram_preflight")) {
            ConfigNode p = n.object("vram_preflight", PREFLIGHT);
            Map<String, Long> estimates = p.longMap("estimates_mib", 0, SweepConfig.MAX_VRAM_MIB);
            for (String quant : estimates.keySet()) {
                if (models.stream().noneMatch(m -> m.quants().contains(quant))) {
                    throw n.error("vram_preflight.estimates_mib names quant '" + quant + "', which no model lists;"
                            + " fix its name or remove it");
                }
            }
            preflight = new SweepConfig.Preflight(p.named("mode", PreflightMode::fromJson),
                    p.optionalLongIn("card_vram_mib", 1, SweepConfig.MAX_VRAM_MIB), estimates);
        }
        CanaryGate canaryGate;
        if (n.has("canary")) {
            exclusive(n, "canary", "canary_runs", "canary_latency_variance_threshold", "adherence_threshold",
                    "latency_ceiling");
            ConfigNode c = n.object("canary", CANARY);
            canaryGate = new CanaryGate(c.intIn("runs", 10, 0, 10_000),
                    c.doubleIn("latency_variance_threshold", 0.03, 0, 1e6), c.doubleIn("adherence_threshold", 0.95, 0, 1),
                    c.optionalDoubleIn("latency_ceiling_ms", 0, 1e12));
        } else {
            canaryGate = new CanaryGate(n.intIn("canary_runs", 10, 0, 10_000),
                    n.doubleIn("canary_latency_variance_threshold", 0.03, 0, 1e6),
                    n.doubleIn("adherence_threshold", 0.95, 0, 1), n.optionalDoubleIn("latency_ceiling", 0, 1e12));
        }
        return new SweepConfig(n.has("sweep_id") ? n.id("sweep_id") : null, providerSpec, sidecar, models, sessions,
                repetitions, warmups, experimentalControls, n.named("execution_lane", ExecutionLane::fromJson),
                n.named("vram_profile", VramProfile::fromJson),
                n.optionalIntIn("context_size", 1, SweepConfig.MAX_CONTEXT_SIZE),
                n.has("context_sweep") ? contextSweep(n.object("context_sweep", CONTEXT_SWEEP), configDirectory) : null,
                n.bool("stream", true),
                Duration.ofMillis(n.longIn("timeout_ms", 120_000, 1, ONE_DAY_MS)), idleTimeout(n), thermal, preflight,
                canaryGate, managed, n.has("server_process_names") ? n.stringList("server_process_names", false) : List.of(),
                new SweepConfig.Resilience(
                        n.intIn("max_attempts", SweepConfig.Resilience.DEFAULT.maxAttempts(), 1, 100),
                        Duration.ofMillis(n.longIn("readiness_timeout_ms",
                                SweepConfig.Resilience.DEFAULT.readinessTimeout().toMillis(), 0, ONE_DAY_MS)),
                        n.intIn("max_consecutive_failures", SweepConfig.Resilience.DEFAULT.maxConsecutiveFailures(),
                                1, 1_000_000)),
                digest);
    }

    /**
     * {@code context_sweep}: a profile ({@code {"profile": "safe", "profiles_file": PATH}}, the shipped file by
     * default) or inline contexts and thresholds, never both; {@code prompt_fill} in either.
     */
    private static ContextSweep contextSweep(ConfigNode c, @Nullable Path configDirectory) {
        double fill = c.doubleIn("prompt_fill", ContextSweep.DEFAULT_PROMPT_FILL, 0, ContextSweep.MAX_PROMPT_FILL);
        if (c.has("profile")) {
            for (String inline : List.of("contexts", "adherence_min", "ttft_ceiling_ms", "decode_floor_tps")) {
                if (c.has(inline)) {
                    throw c.error(c.where("profile") + " and " + c.where(inline) + " are both set; give a profile"
                            + " (its contexts and thresholds come from the profile file) or inline values, not both");
                }
            }
            String name = c.text("profile");
            if (!ContextProfiles.NAMES.contains(name)) {
                throw c.error(c.where("profile") + " must be one of " + ContextProfiles.NAMES + " but was '" + name
                        + "'");
            }
            String file = c.optionalText("profiles_file");
            String text;
            String source;
            if (file == null) {
                text = ContextProfiles.shipped();
                source = "the shipped " + ContextProfiles.SHIPPED_FILE;
            } else {
                Path path = configDirectory == null ? Path.of(file) : configDirectory.resolve(file);
                source = path.toString();
                try {
                    long size = Files.size(path);
                    if (size > MAX_CONFIG_BYTES) {
                        throw c.error(c.where("profiles_file") + " " + path + " is " + size + " bytes; a profile file is"
                                + " at most " + MAX_CONFIG_BYTES + " bytes");
                    }
                    text = Files.readString(path, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw c.error(c.where("profiles_file") + " " + path + " cannot be read: " + IoCause.describe(e)
                            + "; a relative path is relative to the config file's directory");
                }
            }
            ContextProfiles.Profile profile;
            try {
                profile = ContextProfiles.profile(text, source, name);
            } catch (ConfigurationException e) {
                throw c.error(c.where("profiles_file") + ": " + e.getMessage());
            }
            return new ContextSweep(name, file, profile.contexts(), profile.thresholds(), fill);
        }
        if (c.has("profiles_file")) {
            throw c.error(c.where("profiles_file") + " is set without " + c.where("profile") + "; name the profile to"
                    + " use from it (safe, balanced or stress)");
        }
        List<Integer> contexts = c.intList("contexts", 1, SweepConfig.MAX_CONTEXT_SIZE);
        for (int i = 1; i < contexts.size(); i++) {
            if (contexts.get(i) <= contexts.get(i - 1)) {
                throw c.error(c.where("contexts") + " must be ascending without repeats but was " + contexts);
            }
        }
        Double adherence = c.optionalDoubleIn("adherence_min", 0, 1);
        Double ttft = c.optionalDoubleIn("ttft_ceiling_ms", 0, 1e12);
        Double decode = c.optionalDoubleIn("decode_floor_tps", 0, 1e12);
        if (adherence == null || ttft == null || decode == null) {
            throw c.error(c.where(adherence == null ? "adherence_min" : ttft == null ? "ttft_ceiling_ms"
                    : "decode_floor_tps") + " is missing; inline context_sweep values need contexts, adherence_min,"
                    + " ttft_ceiling_ms and decode_floor_tps (or give a profile)");
        }
        if (ttft <= 0 || decode <= 0) {
            throw c.error(c.where(ttft <= 0 ? "ttft_ceiling_ms" : "decode_floor_tps") + " must be > 0 but was "
                    + (ttft <= 0 ? ttft : decode));
        }
        return new ContextSweep(null, null, contexts, new ContextThresholds(adherence, ttft, decode), fill);
    }

    /** {@code idle_timeout_ms}: absent or null for the same as {@code timeout_ms}. */
    private static @Nullable Duration idleTimeout(ConfigNode n) {
        Long millis = n.optionalLongIn("idle_timeout_ms", 1, ONE_DAY_MS);
        return millis == null ? null : Duration.ofMillis(millis);
    }

    private static SweepConfig.ModelSpec model(ConfigNode m) {
        String name = m.component("name");
        List<String> quants = m.stringList("quants", false);
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; i < quants.size(); i++) {
            String quant = quants.get(i);
            if (quant.indexOf('/') >= 0 || quant.indexOf('\\') >= 0 || quant.equals(".") || quant.equals("..")
                    || quant.chars().anyMatch(Character::isISOControl) || quant.length() > 256) {
                throw m.error(m.where("quants") + "[" + i + "] must be a tag without '/', '\\' or control characters,"
                        + " not '.' or '..' (it is one part of every run id) but was "
                        + ConfigNode.quote(com.fasterxml.jackson.databind.node.TextNode.valueOf(quant)));
            }
            for (Map.Entry<Integer, String> earlier : seen.entrySet()) {
                if (earlier.getValue().equals(quant)) {
                    throw m.error(m.where("quants") + "[" + earlier.getKey() + "] and [" + i + "] both name '" + quant
                            + "'; list each quant once");
                }
            }
            seen.put(i, quant);
        }
        String template = m.has("server_model_template") ? m.text("server_model_template") : "{model}:{quant}";
        if (quants.size() > 1 && !template.contains("{quant}")) {
            // Without {quant} every quant would run the same server model and be measured as different ones.
            throw m.error(m.where("server_model_template") + " must contain {quant} when the model lists more than"
                    + " one quant, or every quant runs the same server model; was '" + template + "'");
        }
        Map<String, String> files = m.stringMap("gguf_files");
        for (String quant : files.keySet()) {
            if (!quants.contains(quant)) {
                throw m.error(m.where("gguf_files") + " names quant '" + quant + "', which is not in "
                        + m.where("quants") + " " + quants + "; fix its name or remove it");
            }
        }
        return new SweepConfig.ModelSpec(name, quants, template, files);
    }

    /** Fails when two entries of an array share a value, naming both entries. */
    private static void unique(ConfigNode n, String key, String field, List<String> values) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            Integer earlier = first.putIfAbsent(values.get(i), i);
            if (earlier != null) {
                throw n.error(key + "[" + earlier + "] and " + key + "[" + i + "] both have " + field + " '"
                        + values.get(i) + "'; each " + field + " must be unique, or their runs would share run ids and"
                        + " one would be silently lost");
            }
        }
    }

    /** Fails when {@code key} and any of {@code alternatives} (the Python Orket's names for it) are both set. */
    private static void exclusive(ConfigNode n, String key, String... alternatives) {
        for (String alternative : alternatives) {
            if (n.has(key) && n.has(alternative)) {
                throw n.error(key + " and " + alternative + " are both set; " + alternative
                        + " is the Python Orket's name for " + (key.equals("controls") || key.equals("canary")
                                ? key + "." + alternative.replace("canary_", "").replace("latency_ceiling",
                                        "latency_ceiling_ms").toLowerCase(Locale.ROOT)
                                : key) + ", so keep one");
            }
        }
    }
}
