package dev.orket.core.sweep;

/**
 * The version of Orket recorded in manifests: the jar's {@code Implementation-Version}, or
 * {@code dev} when running from classes.
 *
 * @since 0.1
 */
public final class OrketVersion {

    private OrketVersion() {}

    public static String current() {
        String version = OrketVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
