package dev.orket.core.inventory;

import dev.orket.api.JsonNamed;

/**
 * Whether a model file's sha256 is known. Digests are computed on request only.
 *
 * @since 0.1
 */
public enum DigestStatus implements JsonNamed {
    /** No digest was asked for. */
    MISSING("missing"),
    /** A digest was asked for and is being computed elsewhere (asynchronous callers). */
    PENDING("pending"),
    /** The digest was computed. */
    COMPUTED("computed"),
    /** Computing the digest failed (I/O error). */
    FAILED("failed"),
    /** A digest was asked for but the file exceeds the policy's size limit. */
    SKIPPED_BY_POLICY("skipped_by_policy");

    private final String jsonName;

    DigestStatus(String jsonName) {
        this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }
}
