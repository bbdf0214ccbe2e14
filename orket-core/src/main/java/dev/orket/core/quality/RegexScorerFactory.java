package dev.orket.core.quality;

import dev.orket.api.ConfigurationException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code regex}: 1 when the pattern is found anywhere in the output ({@link java.util.regex.Matcher#find()};
 * anchor it with {@code ^…$} for a full match), else 0.
 *
 * @since 0.1
 */
public final class RegexScorerFactory implements QualityScorerFactory {

    @Override
    public String id() {
        return "regex";
    }

    @Override
    public QualityScorer create(ScorerConfig config) {
        String text = TextMatching.require(config.pattern(), id(), "pattern");
        Pattern pattern;
        try {
            pattern = Pattern.compile(text, config.caseSensitive() ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new ConfigurationException("Quality scorer 'regex': pattern '" + text + "' is not a valid regular "
                    + "expression: " + e.getDescription() + ". Fix the 'pattern' setting.", e);
        }
        return new QualityScorer() {
            @Override
            public String id() {
                return "regex";
            }

            @Override
            public double score(ScoringInput input) {
                return pattern.matcher(input.output()).find() ? 1.0 : 0.0;
            }
        };
    }
}
