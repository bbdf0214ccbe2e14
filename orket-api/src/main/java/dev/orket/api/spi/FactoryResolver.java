package dev.orket.api.spi;

import dev.orket.api.ProviderNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Picks the one factory with a given id out of those discovered. Fails closed: none, an unknown id
 * or a duplicate id is a {@link ProviderNotFoundException} whose message lists what was found.
 *
 * @since 0.1
 */
public final class FactoryResolver {

    private FactoryResolver() {}

    /** Resolves a provider factory from the class path by id. */
    public static ProviderFactory provider(String id) {
        return resolve(ServiceLoader.load(ProviderFactory.class), id, ProviderFactory::id, "provider",
                "orket-provider-");
    }

    /** Resolves a sidecar factory from the class path by id. */
    public static GpuSidecarFactory sidecar(String id) {
        return resolve(ServiceLoader.load(GpuSidecarFactory.class), id, GpuSidecarFactory::id, "sidecar",
                "orket-sidecar-");
    }

    /**
     * Resolves one factory by id. A pure function of its inputs.
     *
     * @param factories the discovered factories
     * @param id the requested id
     * @param idOf reads a factory's id
     * @param kind {@code provider} or {@code sidecar}, for the message
     * @param artifactPrefix the artifact naming convention, for the message's fix
     */
    public static <F> F resolve(Iterable<F> factories, String id, Function<F, String> idOf, String kind,
            String artifactPrefix) {
        Objects.requireNonNull(id, kind + " id");
        List<F> matches = new ArrayList<>();
        TreeSet<String> found = new TreeSet<>();
        for (F factory : factories) {
            String factoryId = idOf.apply(factory);
            found.add(factoryId);
            if (factoryId.equals(id)) {
                matches.add(factory);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            StringBuilder claimants = new StringBuilder();
            for (F match : matches) {
                if (claimants.length() > 0) {
                    claimants.append(", ");
                }
                claimants.append(match.getClass().getName()).append(" (")
                        .append(locationOf(match.getClass())).append(')');
            }
            throw new ProviderNotFoundException("Duplicate " + kind + " id '" + id + "' claimed by " + claimants
                    + ". Remove one of the jars from the class path.");
        }
        if (found.isEmpty()) {
            throw new ProviderNotFoundException("No " + kind + " found on the class path while looking for '" + id
                    + "'. Add " + artifactPrefix + id + " to the class path.");
        }
        throw new ProviderNotFoundException("Unknown " + kind + " id '" + id + "'; found " + found + ". Add "
                + artifactPrefix + id + " to the class path or use one of the ids found.");
    }

    private static String locationOf(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "unknown jar" : source.getLocation().toString();
    }
}
