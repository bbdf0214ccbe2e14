package dev.orket.core.quality;

/**
 * Creates a {@link QualityScorer}; found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.orket.core.quality.QualityScorerFactory}. No-arg, cheap, does
 * nothing on construction.
 *
 * @since 0.1
 */
public interface QualityScorerFactory {

    /** The SPI version this factory implements. */
    int SPI_VERSION = 1;

    /** The stable lowercase id a sweep names, e.g. {@code regex}. */
    String id();

    /**
     * A scorer configured for one prompt session.
     *
     * @throws dev.orket.api.ConfigurationException naming the missing or wrong setting
     */
    QualityScorer create(ScorerConfig config);

    /** The SPI version this factory was written against. */
    default int spiVersion() {
        return SPI_VERSION;
    }
}
