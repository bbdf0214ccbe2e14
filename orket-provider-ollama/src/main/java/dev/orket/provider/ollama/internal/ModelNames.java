package dev.orket.provider.ollama.internal;

import java.util.Locale;

/** Ollama model names: {@code llama3.2} and {@code llama3.2:latest} are the same model. */
public final class ModelNames {

    private ModelNames() {}

    /** The name with {@code :latest} added when it has no tag, lower-cased. */
    public static String normalize(String name) {
        String trimmed = name.strip();
        int slash = trimmed.lastIndexOf('/');
        boolean tagged = trimmed.indexOf(':', slash + 1) >= 0;
        return (tagged ? trimmed : trimmed + ":latest").toLowerCase(Locale.ROOT);
    }

    /** Whether two names denote the same model. */
    public static boolean same(String a, String b) {
        return normalize(a).equals(normalize(b));
    }
}
