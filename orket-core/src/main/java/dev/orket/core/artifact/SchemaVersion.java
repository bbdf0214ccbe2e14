package dev.orket.core.artifact;

/**
 * The artifact schema version. Schemas evolve additively: a reader of version N reads N+1 by
 * ignoring keys it does not know, and reads N−1 by treating keys added since as absent.
 *
 * @since 0.1
 */
public final class SchemaVersion {

    /** The version this build writes. */
    public static final int CURRENT = 1;

    private SchemaVersion() {}
}
