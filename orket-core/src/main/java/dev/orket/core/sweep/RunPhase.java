package dev.orket.core.sweep;

import dev.orket.api.JsonNamed;

/**
 * Why a planned run exists. Only measured runs enter KPIs; each phase has its own ledger file.
 *
 * @since 0.1
 */
public enum RunPhase implements JsonNamed {
    /** Canary runs on the first cell, judged before the sweep spends hours. Ledger {@code canary.jsonl}. */
    CANARY("canary", "canary.jsonl"),
    /** Unmeasured runs that load the model and warm caches. Ledger {@code warmup.jsonl}. */
    WARMUP("warmup", "warmup.jsonl"),
    /** Measured runs. Ledger {@code runs.jsonl}. */
    MEASURED("measured", "runs.jsonl");

    private final String jsonName;
    private final String ledgerFile;

    RunPhase(String jsonName, String ledgerFile) {
        this.jsonName = jsonName;
        this.ledgerFile = ledgerFile;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    /** The ledger file this phase's runs are written to. */
    public String ledgerFile() {
        return ledgerFile;
    }
}
