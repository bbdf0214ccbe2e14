package dev.orket.testkit;

/**
 * The situations a {@link SidecarContract} puts a sidecar in; the sidecar module maps each to its
 * tool's input (e.g. a fake {@code nvidia-smi} script).
 *
 * @since 0.1
 */
public enum SidecarScenario {
    /** The tool works and reports one GPU with every required field. */
    HEALTHY,
    /** The tool is not installed. */
    TOOL_MISSING,
    /** The tool starts and never answers. */
    TOOL_HANGS,
    /** The tool answers with output that cannot be read as its format. */
    MALFORMED_OUTPUT
}
