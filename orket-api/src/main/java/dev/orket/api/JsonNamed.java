package dev.orket.api;

/**
 * A closed vocabulary whose constants own their JSON spelling.
 *
 * @since 0.1
 */
public interface JsonNamed {

    /** The spelling used in artifacts, never null. */
    String jsonName();

    /**
     * Looks up a constant by its JSON spelling.
     *
     * @throws IllegalArgumentException naming the value and the accepted spellings when none matches
     */
    static <E extends Enum<E> & JsonNamed> E fromJson(Class<E> type, String jsonName) {
        for (E constant : type.getEnumConstants()) {
            if (constant.jsonName().equals(jsonName)) {
                return constant;
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (accepted.length() > 0) {
                accepted.append(", ");
            }
            accepted.append(constant.jsonName());
        }
        throw new IllegalArgumentException("Unknown " + type.getSimpleName() + " '" + jsonName
                + "'; expected one of [" + accepted + "]");
    }
}
