package dev.orket.core.quality;

import dev.orket.api.ConfigurationException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Settings checks and case folding shared by the text scorers. */
final class TextMatching {

    private TextMatching() {}

    static String require(@Nullable String value, String scorerId, String setting) {
        if (value == null) {
            throw new ConfigurationException("Quality scorer '" + scorerId + "' needs the '" + setting
                    + "' setting, which is missing. Set it on the prompt session.");
        }
        return value;
    }

    static String fold(String text, boolean caseSensitive) {
        return caseSensitive ? text : text.toLowerCase(Locale.ROOT);
    }
}
