package dev.orket.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.orket.api.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QualityScorersTest {

    @Nested
    @DisplayName("Discovery")
    class Discovery {

        @Test
        @DisplayName("every built-in scorer is found by ServiceLoader")
        void builtIns() {
            assertThat(QualityScorers.discovered()).extracting(QualityScorerFactory::id)
                    .containsExactlyInAnyOrder("exact", "contains", "regex", "json", "baseline_agreement");
        }

        @Test
        @DisplayName("an unknown id fails closed listing the ids found")
        void unknown() {
            assertThatThrownBy(() -> QualityScorers.create("exakt", ScorerConfig.expecting("x")))
                    .isInstanceOf(ScorerNotFoundException.class)
                    .hasMessageContaining("'exakt'")
                    .hasMessageContaining("[baseline_agreement, contains, exact, json, regex]");
        }

        @Test
        @DisplayName("a duplicate id names both classes")
        void duplicate() {
            QualityScorerFactory other = new QualityScorerFactory() {
                @Override
                public String id() {
                    return "exact";
                }

                @Override
                public QualityScorer create(ScorerConfig config) {
                    throw new AssertionError();
                }
            };
            assertThatThrownBy(() -> QualityScorers.resolve("exact", List.of(new ExactMatchScorerFactory(), other)))
                    .isInstanceOf(ScorerNotFoundException.class)
                    .hasMessageContaining(ExactMatchScorerFactory.class.getName())
                    .hasMessageContaining("Duplicate");
        }

        @Test
        @DisplayName("a missing setting fails with the setting's name")
        void missingSetting() {
            assertThatThrownBy(() -> QualityScorers.create("regex", ScorerConfig.NONE))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'pattern'");
            assertThatThrownBy(() -> QualityScorers.create("regex", ScorerConfig.matching("(")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("not a valid regular expression");
        }
    }

    @Nested
    @DisplayName("Scoring")
    class Scoring {

        @Test
        @DisplayName("exact, contains and regex score 1 or 0")
        void text() {
            assertThat(QualityScorers.create("exact", ScorerConfig.expecting("Paris")).score(ScoringInput.of(" Paris\n")))
                    .isEqualTo(1.0);
            assertThat(QualityScorers.create("exact", ScorerConfig.expecting("Paris")).score(ScoringInput.of("paris")))
                    .isEqualTo(0.0);
            assertThat(QualityScorers.create("exact", new ScorerConfig("Paris", null, null, false))
                    .score(ScoringInput.of("paris"))).isEqualTo(1.0);
            assertThat(QualityScorers.create("contains", ScorerConfig.expecting("42"))
                    .score(ScoringInput.of("The answer is 42."))).isEqualTo(1.0);
            assertThat(QualityScorers.create("regex", ScorerConfig.matching("^\\d{3}$")).score(ScoringInput.of("123")))
                    .isEqualTo(1.0);
            assertThat(QualityScorers.create("regex", ScorerConfig.matching("^\\d{3}$")).score(ScoringInput.of("1234")))
                    .isEqualTo(0.0);
        }

        @Test
        @DisplayName("json scores one JSON value, optionally conforming to a schema")
        void json() {
            QualityScorer plain = QualityScorers.create("json", ScorerConfig.NONE);
            assertThat(plain.score(ScoringInput.of(" {\"a\": [1, 2]} "))).isEqualTo(1.0);
            assertThat(plain.score(ScoringInput.of("{\"a\": 1} trailing"))).isEqualTo(0.0);
            assertThat(plain.score(ScoringInput.of("{\"a\": "))).isEqualTo(0.0);
            assertThat(plain.score(ScoringInput.of(""))).isEqualTo(0.0);
            QualityScorer schema = QualityScorers.create("json", ScorerConfig.conformingTo(
                    "{\"type\":\"object\",\"required\":[\"answer\"],\"properties\":{\"answer\":{\"type\":\"integer\"}}}"));
            assertThat(schema.score(ScoringInput.of("{\"answer\": 42}"))).isEqualTo(1.0);
            assertThat(schema.score(ScoringInput.of("{\"answer\": \"42\"}"))).isEqualTo(0.0);
            assertThatThrownBy(() -> QualityScorers.create("json", ScorerConfig.conformingTo("{not json")))
                    .isInstanceOf(ConfigurationException.class);
        }

        @Test
        @DisplayName("baseline agreement is normalized token edit similarity")
        void baselineAgreement() {
            QualityScorer scorer = QualityScorers.create("baseline_agreement", ScorerConfig.NONE);
            assertThat(scorer.score(new ScoringInput("the cat sat", "the cat sat"))).isEqualTo(1.0);
            assertThat(scorer.score(new ScoringInput("the dog sat", "the cat sat"))).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(scorer.score(new ScoringInput("the cat", "the cat sat down"))).isEqualTo(0.5);
            assertThat(scorer.score(new ScoringInput("", "  "))).isEqualTo(1.0);
            assertThat(scorer.score(new ScoringInput("x", ""))).isEqualTo(0.0);
            assertThatThrownBy(() -> scorer.score(ScoringInput.of("x"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("baseline");
        }
    }
}
