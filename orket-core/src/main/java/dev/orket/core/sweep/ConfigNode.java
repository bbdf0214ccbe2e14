package dev.orket.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orket.api.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One JSON object of a sweep config with its key path and the keys it may hold, so that every error
 * names the file, the key path, the offending value and what was expected, and an unknown key names
 * the nearest known one.
 */
final class ConfigNode {

    /** Longest value quoted in an error message; a longer one is cut, so a hostile value cannot flood a log. */
    private static final int MAX_QUOTED = 80;

    private final JsonNode json;
    private final String path;
    private final String source;
    /** Whether keys this version does not know are skipped: a config that declares a newer schema version. */
    private final boolean newer;

    private ConfigNode(JsonNode json, String path, String source, boolean newer) {
        this.json = json;
        this.path = path;
        this.source = source;
        this.newer = newer;
    }

    /** The root object, checked against its known keys. */
    static ConfigNode root(JsonNode json, String source, Set<String> known) {
        return root(json, source, known, false);
    }

    /**
     * The root object, checked against its known keys unless the config declares a newer schema version, whose
     * additions this version skips.
     */
    static ConfigNode root(JsonNode json, String source, Set<String> known, boolean newerVersion) {
        ConfigNode node = new ConfigNode(json, "", source, newerVersion);
        node.checkKeys(known);
        return node;
    }

    boolean has(String key) {
        JsonNode value = json.get(key);
        return value != null && !value.isNull();
    }

    String where(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigurationException error(String message) {
        return new ConfigurationException("Sweep config " + source + ": " + message);
    }

    ConfigurationException error(String key, String expected, @Nullable JsonNode value) {
        return error(where(key) + " must be " + expected + " but was " + quote(value));
    }

    static String quote(@Nullable JsonNode value) {
        if (value == null) {
            return "missing";
        }
        String text = value.toString();
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "… (" + text.length() + " chars)";
    }

    /** Fails when the object holds a key outside {@code known}, naming the nearest known key. */
    private void checkKeys(Set<String> known) {
        if (newer) {
            return;
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                String nearest = KeyHint.nearest(name, known);
                throw error("unknown key " + where(name) + (nearest == null ? "" : " (did you mean '" + nearest + "'?)")
                        + "; remove it or fix its name (docs/specs/sweep-config.schema.json lists every key)");
            }
        }
    }

    ConfigNode object(String key, Set<String> known) {
        JsonNode value = json.get(key);
        if (value == null || !value.isObject()) {
            throw error(key, "an object", value);
        }
        ConfigNode node = new ConfigNode(value, where(key), source, newer);
        node.checkKeys(known);
        return node;
    }

    String text(String key) {
        JsonNode value = json.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw error(key, "a non-empty string", value);
        }
        return value.asText();
    }

    @Nullable String optionalText(String key) {
        return has(key) ? text(key) : null;
    }

    /**
     * An id that becomes part of a file or directory name: {@code [A-Za-z0-9._-]}, at most 128
     * characters, no {@code ..}, so it can never name a path outside the output directory.
     */
    String id(String key) {
        String text = text(key);
        if (text.length() > 128 || !text.matches("[A-Za-z0-9._-]+") || text.contains("..")) {
            throw error(key, "1 to 128 of [A-Za-z0-9._-] without '..' (it names files and directories)",
                    json.get(key));
        }
        return text;
    }

    /**
     * A name that becomes one component of a run id ({@code model/quant/session/rN}): no {@code /} or
     * {@code \}, no control character, not {@code .} or {@code ..}, at most 256 characters.
     */
    String component(String key) {
        String text = text(key);
        boolean control = text.chars().anyMatch(Character::isISOControl);
        if (text.length() > 256 || text.indexOf('/') >= 0 || text.indexOf('\\') >= 0 || control
                || text.equals(".") || text.equals("..")) {
            throw error(key, "a name without '/', '\\' or control characters, not '.' or '..', at most 256"
                    + " characters (it is one part of every run id)", json.get(key));
        }
        return text;
    }

    /** An absolute {@code http} or {@code https} URL with a host and without credentials. */
    URI httpUrl(String key) {
        String text = text(key);
        String expected = "an absolute http:// or https:// URL with a host, e.g. http://127.0.0.1:8080";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw error(key, expected, json.get(key));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw error(key, expected, json.get(key));
        }
        if (uri.getRawUserInfo() != null) {
            // The base URL is written to the manifest; credentials in it would leak into every artifact.
            throw error(where(key) + " must not carry credentials (user:password@); name an environment variable"
                    + " in provider.api_key_env instead");
        }
        return uri;
    }

    /** An integer in [{@code min}, {@code max}], or {@code defaultValue} when absent or null. */
    long longIn(String key, long defaultValue, long min, long max) {
        Long value = optionalLongIn(key, min, max);
        return value == null ? defaultValue : value;
    }

    @Nullable Long optionalLongIn(String key, long min, long max) {
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        String range = "an integer in [" + min + ", " + max + "]";
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw error(key, range, value);
        }
        long v = value.asLong();
        if (v < min || v > max) {
            throw error(key, range, value);
        }
        return v;
    }

    int intIn(String key, int defaultValue, int min, int max) {
        return (int) longIn(key, defaultValue, min, max);
    }

    @Nullable Integer optionalIntIn(String key, int min, int max) {
        Long value = optionalLongIn(key, min, max);
        return value == null ? null : value.intValue();
    }

    /** A finite number in [{@code min}, {@code max}], or {@code defaultValue} when absent or null. */
    double doubleIn(String key, double defaultValue, double min, double max) {
        Double value = optionalDoubleIn(key, min, max);
        return value == null ? defaultValue : value;
    }

    @Nullable Double optionalDoubleIn(String key, double min, double max) {
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        double v = value.asDouble();
        if (!value.isNumber() || !Double.isFinite(v) || v < min || v > max) {
            throw error(key, "a finite number in [" + min + ", " + max + "]", value);
        }
        return v;
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw error(key, "true or false", value);
        }
        return value.asBoolean();
    }

    <T> T named(String key, Function<String, T> parse) {
        String text = text(key);
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw error(where(key) + ": " + e.getMessage());
        }
    }

    /** An array of non-empty strings; {@code allowEmpty} says whether {@code []} is accepted. */
    List<String> stringList(String key, boolean allowEmpty) {
        JsonNode value = json.get(key);
        String expected = (allowEmpty ? "an array" : "a non-empty array") + " of non-empty strings";
        if (value == null || !value.isArray() || (!allowEmpty && value.isEmpty())) {
            throw error(key, expected, value);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw error(key, expected, value);
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A non-empty array of integers, each in [{@code min}, {@code max}]. */
    List<Integer> intList(String key, int min, int max) {
        JsonNode value = json.get(key);
        String expected = "a non-empty array of integers in [" + min + ", " + max + "]";
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw error(key, expected, value);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isIntegralNumber() || !item.canConvertToLong() || item.asLong() < min || item.asLong() > max) {
                throw error(where(key) + " must be " + expected + " but held " + quote(item));
            }
            out.add(item.asInt());
        }
        return out;
    }

    /** An object of scalar values, as text; absent or null is empty. */
    Map<String, String> stringMap(String key) {
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw error(key, "an object of strings", value);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw error(key + "." + entry.getKey(), "a string, number or boolean", entry.getValue());
            }
            out.put(entry.getKey(), entry.getValue().asText());
        }
        return out;
    }

    /** An object of integers in [{@code min}, {@code max}]; absent or null is empty. */
    Map<String, Long> longMap(String key, long min, long max) {
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw error(key, "an object of integers", value);
        }
        ConfigNode node = new ConfigNode(value, where(key), source, newer);
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            out.put(name, node.longIn(name, 0, min, max));
        }
        return out;
    }

    /** A non-empty array of objects, each checked against {@code known} and mapped by {@code element}. */
    <T> List<T> list(String key, Set<String> known, Function<ConfigNode, T> element) {
        JsonNode value = json.get(key);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw error(key, "a non-empty array of objects", value);
        }
        List<T> out = new ArrayList<>();
        int index = 0;
        for (JsonNode item : value) {
            String itemPath = where(key) + "[" + index++ + "]";
            if (!item.isObject()) {
                throw error(itemPath + " must be an object but was " + quote(item));
            }
            ConfigNode node = new ConfigNode(item, itemPath, source, newer);
            node.checkKeys(known);
            out.add(element.apply(node));
        }
        return out;
    }
}
