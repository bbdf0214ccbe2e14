package dev.orket.api;

/**
 * How hard a run may push the card's memory. Results are comparable only within one profile.
 *
 * @since 0.1
 */
public enum VramProfile implements JsonNamed {
    /** Caps VRAM use at 50 % of the card. */
    SAFE("safe", 0.50),
    /** Caps VRAM use at 80 % of the card; 70–80 % is the representative band. */
    BALANCED("balanced", 0.80),
    /** Caps VRAM use at 95 % of the card, for boundary and cliff discovery. */
    STRESS("stress", 0.95),
    /** A spelling a newer writer used that this reader does not know; it has no cap. */
    UNRECOGNIZED("unrecognized", Double.NaN);

    private final String jsonName;
    private final double vramCapFraction;

    VramProfile(String jsonName, double vramCapFraction) {
        this.jsonName = jsonName;
        this.vramCapFraction = vramCapFraction;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    /**
     * The fraction of the card's total VRAM a run under this profile may use, in (0, 1].
     *
     * @throws IllegalStateException for {@link #UNRECOGNIZED}, which has no cap
     */
    public double vramCapFraction() {
        if (this == UNRECOGNIZED) {
            throw new IllegalStateException("an unrecognized VRAM profile has no cap; use safe, balanced or stress");
        }
        return vramCapFraction;
    }

    /**
     * The VRAM cap in MiB for a card of the given total size in MiB.
     *
     * @throws IllegalStateException for {@link #UNRECOGNIZED}, which has no cap
     */
    public long vramCapMib(long vramTotalMib) {
        return (long) Math.floor(vramTotalMib * vramCapFraction());
    }

    public static VramProfile fromJson(String jsonName) {
        return JsonNamed.fromJson(VramProfile.class, jsonName);
    }
}
