package dev.orket.core.quality;

import dev.orket.api.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves quality scorers by id. Resolution is a pure function of the factories given: an unknown
 * id fails closed listing the ids found; a duplicate id names both classes.
 *
 * @since 0.1
 */
public final class QualityScorers {

    private static final Logger LOG = LoggerFactory.getLogger(QualityScorers.class);

    private QualityScorers() {}

    /** The factories on the class path, found by ServiceLoader. */
    public static List<QualityScorerFactory> discovered() {
        List<QualityScorerFactory> factories = new ArrayList<>();
        for (QualityScorerFactory factory : ServiceLoader.load(QualityScorerFactory.class,
                QualityScorers.class.getClassLoader())) {
            LOG.debug("found quality scorer '{}' ({})", factory.id(), factory.getClass().getName());
            factories.add(factory);
        }
        return factories;
    }

    /** A scorer from the factories on the class path. */
    public static QualityScorer create(String id, ScorerConfig config) {
        return create(id, config, discovered());
    }

    /**
     * A scorer from the given factories.
     *
     * @throws ScorerNotFoundException when no factory, or more than one, has the id
     * @throws ConfigurationException when the config lacks what the scorer needs
     */
    public static QualityScorer create(String id, ScorerConfig config, Iterable<QualityScorerFactory> factories) {
        return resolve(id, factories).create(config);
    }

    /** The factory with the id. */
    public static QualityScorerFactory resolve(String id, Iterable<QualityScorerFactory> factories) {
        Map<String, QualityScorerFactory> byId = new TreeMap<>();
        for (QualityScorerFactory factory : factories) {
            QualityScorerFactory previous = byId.putIfAbsent(factory.id(), factory);
            if (previous != null && previous.getClass() != factory.getClass()) {
                throw new ScorerNotFoundException("Duplicate quality scorer id '" + factory.id() + "': "
                        + previous.getClass().getName() + " (" + location(previous) + ") and "
                        + factory.getClass().getName() + " (" + location(factory) + "). Remove one from the class path.");
            }
        }
        QualityScorerFactory factory = byId.get(id);
        if (factory == null) {
            throw new ScorerNotFoundException("Unknown quality scorer id '" + id + "'; found " + byId.keySet()
                    + ". Name one of them in the prompt session, or add the jar that provides '" + id
                    + "' to the class path.");
        }
        return factory;
    }

    private static String location(Object factory) {
        var source = factory.getClass().getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "unknown location" : source.getLocation().toString();
    }
}
