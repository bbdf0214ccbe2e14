package dev.orket.cli;

import dev.orket.api.ConfigurationException;
import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;

/** Reads the {@code --lane} and {@code --profile} options every artifact-printing command takes. */
final class Labels {

    private Labels() {}

    static ExecutionLane lane(String value) {
        try {
            return ExecutionLane.fromJson(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--lane: " + e.getMessage(), e);
        }
    }

    static VramProfile profile(String value) {
        try {
            return VramProfile.fromJson(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--profile: " + e.getMessage(), e);
        }
    }
}
