package dev.orket.api;

/**
 * A vocabulary whose constants own their JSON spelling.
 *
 * <p>A vocabulary that artifacts carry is open to the future: besides its known constants it has one
 * named {@code UNRECOGNIZED}, which stands for a spelling a newer writer used and this reader does not
 * know. {@link #fromJson} never returns it (configs and options are closed: a misspelling is an error);
 * {@link #fromArtifact} returns it for an unknown spelling, and the record that holds the value keeps the
 * raw spelling beside it (see {@link UnrecognizedLabel}).
 *
 * @since 0.1
 */
public interface JsonNamed {

    /** The name of the constant that stands for a spelling this reader does not know. */
    String UNRECOGNIZED = "UNRECOGNIZED";

    /** The spelling used in artifacts, never null. */
    String jsonName();

    /** Whether this constant stands for a spelling a newer writer used that this reader does not know. */
    default boolean unrecognized() {
        return this instanceof Enum<?> && ((Enum<?>) this).name().equals(UNRECOGNIZED);
    }

    /**
     * Looks up a known constant by its JSON spelling.
     *
     * @throws IllegalArgumentException naming the value and the accepted spellings when none matches
     */
    static <E extends Enum<E> & JsonNamed> E fromJson(Class<E> type, String jsonName) {
        for (E constant : type.getEnumConstants()) {
            if (!constant.unrecognized() && constant.jsonName().equals(jsonName)) {
                return constant;
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (constant.unrecognized()) {
                continue;
            }
            if (accepted.length() > 0) {
                accepted.append(", ");
            }
            accepted.append(constant.jsonName());
        }
        throw new IllegalArgumentException("Unknown " + type.getSimpleName() + " '" + jsonName
                + "'; expected one of [" + accepted + "]");
    }

    /**
     * Looks up a constant of an artifact a newer writer may have written: the known constant, or the
     * vocabulary's {@code UNRECOGNIZED} constant when the spelling is unknown. Never throws for an unknown
     * spelling; the caller keeps the raw spelling.
     *
     * @throws IllegalArgumentException when the vocabulary is closed (has no {@code UNRECOGNIZED} constant) and
     *     the spelling is unknown
     */
    static <E extends Enum<E> & JsonNamed> E fromArtifact(Class<E> type, String jsonName) {
        for (E constant : type.getEnumConstants()) {
            if (!constant.unrecognized() && constant.jsonName().equals(jsonName)) {
                return constant;
            }
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.unrecognized()) {
                return constant;
            }
        }
        return fromJson(type, jsonName);
    }
}
