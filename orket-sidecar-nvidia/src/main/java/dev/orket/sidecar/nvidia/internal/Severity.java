package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.SidecarParseStatus;

/** How much an error code degrades a reading; the worst one decides the parse status. */
public enum Severity {
    /** An optional value is absent or partly decoded. */
    OPTIONAL,
    /** A required value is absent, or a GPU stopped reporting. */
    REQUIRED,
    /** The input is not the expected format. */
    PARSE,
    /** The tool could not report at all. */
    UNAVAILABLE;

    /** The status for a reading whose worst error has this severity and that has {@code sampleCount} samples. */
    SidecarParseStatus status(int sampleCount) {
        return switch (this) {
            case OPTIONAL -> SidecarParseStatus.OPTIONAL_FIELD_MISSING;
            case REQUIRED -> SidecarParseStatus.REQUIRED_FIELD_MISSING;
            case PARSE -> SidecarParseStatus.PARSE_ERROR;
            // Samples taken before the tool failed still count; their GPUs then stopped reporting.
            case UNAVAILABLE -> sampleCount == 0
                    ? SidecarParseStatus.NOT_APPLICABLE
                    : SidecarParseStatus.REQUIRED_FIELD_MISSING;
        };
    }
}
