package dev.orket.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ConfigurationException;
import dev.orket.core.recommend.ContextThresholds;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a context sweep profile file in the Python Orket's shape:
 * <pre>
 * {"profiles": {"safe": {"contexts": [4096, 8192, 16384], "adherence_min": 0.95,
 *   "ttft_ceiling_ms": 250.0, "decode_floor_tps": 20.0}, "balanced": {…}, "stress": {…}}}
 * </pre>
 * Every profile must be present with every key, of the right type and range (contexts positive and
 * ascending), and no threshold may be looser than the shipped default ({@code adherence_min} and
 * {@code decode_floor_tps} not lower, {@code ttft_ceiling_ms} not higher).
 *
 * @since 0.1
 */
public final class ContextProfiles {

    /** One shipped profile's thresholds. */
    private record Shipped(String name, double adherenceMin, double ttftCeilingMs, double decodeFloorTps) {}

    private static final List<Shipped> SHIPPED = List.of(
            new Shipped("safe", 0.95, 250.0, 20.0),
            new Shipped("balanced", 0.93, 350.0, 15.0),
            new Shipped("stress", 0.90, 500.0, 10.0));

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The shipped profile file's name, beside this class on the class path and in {@code profiles/} of the project. */
    public static final String SHIPPED_FILE = "context_sweep_profiles.json";

    /** The profile names every file must hold. */
    public static final List<String> NAMES = List.of("safe", "balanced", "stress");

    private ContextProfiles() {}

    /**
     * One profile of a verified file.
     *
     * @param name {@code safe}, {@code balanced} or {@code stress}
     * @param contexts the contexts in tokens, ascending
     * @param thresholds what each context must reach
     */
    public record Profile(String name, List<Integer> contexts, ContextThresholds thresholds) {
        public Profile {
            java.util.Objects.requireNonNull(name, "name");
            contexts = List.copyOf(contexts);
            java.util.Objects.requireNonNull(thresholds, "thresholds");
        }
    }

    /** The text of the shipped profile file, read from the class path (so the CLI jar works from any directory). */
    public static String shipped() {
        try (java.io.InputStream in = ContextProfiles.class.getResourceAsStream(SHIPPED_FILE)) {
            if (in == null) {
                throw new IllegalStateException("the shipped " + SHIPPED_FILE + " is missing from the class path"
                        + " beside " + ContextProfiles.class.getName() + "; the orket-core jar is incomplete");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the shipped " + SHIPPED_FILE, e);
        }
    }

    /**
     * The contexts and thresholds of one profile of a file, which must pass {@link #verify} as a whole.
     *
     * @param json the profile file's text
     * @param source the file's name, for messages
     * @param name the profile: {@code safe}, {@code balanced} or {@code stress}
     * @throws ConfigurationException naming the file and every failing key when the file does not verify, or the
     *     profile when it is none of the three
     */
    public static Profile profile(String json, String source, String name) {
        if (!NAMES.contains(name)) {
            throw new ConfigurationException("context sweep profile '" + name + "' is not one of " + NAMES);
        }
        List<String> failures = verify(json);
        if (!failures.isEmpty()) {
            throw new ConfigurationException("context sweep profile file " + source + " does not verify: "
                    + String.join("; ", failures) + ". Fix it (orket verify-profiles " + source + ") or use the"
                    + " shipped file.");
        }
        JsonNode profile;
        try {
            profile = MAPPER.readTree(json).path("profiles").path(name);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException("context sweep profile file " + source + " is not valid JSON", e);
        }
        List<Integer> contexts = new ArrayList<>();
        for (JsonNode context : profile.path("contexts")) {
            if (!context.canConvertToInt() || context.asInt() > SweepConfig.MAX_CONTEXT_SIZE) {
                throw new ConfigurationException("context sweep profile file " + source + ": profiles." + name
                        + ".contexts holds " + context + ", above the largest context size "
                        + SweepConfig.MAX_CONTEXT_SIZE);
            }
            contexts.add(context.asInt());
        }
        return new Profile(name, contexts, new ContextThresholds(profile.path("adherence_min").asDouble(),
                profile.path("ttft_ceiling_ms").asDouble(), profile.path("decode_floor_tps").asDouble()));
    }

    /**
     * The failures of a profile file, each naming the key path, the value and what was expected;
     * empty when the file holds.
     */
    public static List<String> verify(String json) {
        List<String> failures = new ArrayList<>();
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            failures.add("file: not valid JSON: " + e.getOriginalMessage());
            return failures;
        }
        JsonNode profiles = root == null ? null : root.get("profiles");
        if (profiles == null || !profiles.isObject()) {
            failures.add("profiles: missing or not an object");
            return failures;
        }
        for (Shipped shipped : SHIPPED) {
            String path = "profiles." + shipped.name();
            JsonNode profile = profiles.get(shipped.name());
            if (profile == null || !profile.isObject()) {
                failures.add(path + ": missing or not an object");
                continue;
            }
            checkContexts(path + ".contexts", profile.get("contexts"), failures);
            Double adherence = number(path + ".adherence_min", profile.get("adherence_min"), failures);
            if (adherence != null) {
                if (adherence < 0 || adherence > 1) {
                    failures.add(path + ".adherence_min: " + adherence + " is out of range [0, 1]");
                } else if (adherence < shipped.adherenceMin()) {
                    failures.add(path + ".adherence_min: " + adherence + " is looser than the shipped "
                            + shipped.adherenceMin() + " (must be >= " + shipped.adherenceMin() + ")");
                }
            }
            Double ttft = number(path + ".ttft_ceiling_ms", profile.get("ttft_ceiling_ms"), failures);
            if (ttft != null) {
                if (ttft <= 0) {
                    failures.add(path + ".ttft_ceiling_ms: " + ttft + " must be > 0");
                } else if (ttft > shipped.ttftCeilingMs()) {
                    failures.add(path + ".ttft_ceiling_ms: " + ttft + " is looser than the shipped "
                            + shipped.ttftCeilingMs() + " (must be <= " + shipped.ttftCeilingMs() + ")");
                }
            }
            Double decode = number(path + ".decode_floor_tps", profile.get("decode_floor_tps"), failures);
            if (decode != null) {
                if (decode <= 0) {
                    failures.add(path + ".decode_floor_tps: " + decode + " must be > 0");
                } else if (decode < shipped.decodeFloorTps()) {
                    failures.add(path + ".decode_floor_tps: " + decode + " is looser than the shipped "
                            + shipped.decodeFloorTps() + " (must be >= " + shipped.decodeFloorTps() + ")");
                }
            }
        }
        return failures;
    }

    private static @org.jspecify.annotations.Nullable Double number(String path, @org.jspecify.annotations.Nullable JsonNode value, List<String> failures) {
        if (value == null) {
            failures.add(path + ": missing");
            return null;
        }
        if (!value.isNumber()) {
            failures.add(path + ": " + value + " is not a number");
            return null;
        }
        return value.asDouble();
    }

    private static void checkContexts(String path, @org.jspecify.annotations.Nullable JsonNode value, List<String> failures) {
        if (value == null) {
            failures.add(path + ": missing");
            return;
        }
        if (!value.isArray() || value.isEmpty()) {
            failures.add(path + ": " + value + " is not a non-empty array of integers");
            return;
        }
        long previous = 0;
        for (JsonNode item : value) {
            if (!item.isIntegralNumber()) {
                failures.add(path + ": " + item + " is not an integer");
                return;
            }
            long context = item.asLong();
            if (context <= 0) {
                failures.add(path + ": " + context + " is not positive");
                return;
            }
            if (context <= previous) {
                failures.add(path + ": " + value + " is not ascending");
                return;
            }
            previous = context;
        }
    }
}
