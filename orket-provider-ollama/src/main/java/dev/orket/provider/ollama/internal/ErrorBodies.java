package dev.orket.provider.ollama.internal;

import org.jspecify.annotations.Nullable;

/** Reads the message out of an error body: {@code {"error":"…"}} or {@code {"error":{"message":"…"}}}. */
public final class ErrorBodies {

    private ErrorBodies() {}

    /** The error message, or null when the body is not a JSON error object. */
    public static @Nullable String errorMessage(byte[] bytes, int length) {
        ParsedLine line = new ParsedLine();
        try {
            if (!new LineParser().parse(bytes, 0, length, line)) {
                return null;
            }
        } catch (LineParser.MalformedLineException e) {
            return null;
        }
        return line.error();
    }
}
