package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.SidecarReading;
import org.jspecify.annotations.Nullable;

/** Turns how a tool run ended into codes on the stream that parsed its output. */
public final class Outcome {

    /** The code of a tool that printed nothing before its deadline. */
    public static final String TIMEOUT = "sidecar_timeout";

    /** The code of output dropped past the caps. */
    public static final String TRUNCATED = "sidecar_output_truncated";

    private Outcome() {}

    /**
     * The reading for output parsed by {@code stream} from a tool that ended as described.
     *
     * @param exitCode the exit status when the tool exited by itself, null when it was killed or is a loop we stopped
     * @param timedOut whether the tool was killed at the deadline while it should have finished
     */
    public static SidecarReading finish(CsvGpuStream stream, @Nullable Integer exitCode,
            boolean timedOut, boolean truncated) {
        if (truncated) {
            stream.add(TRUNCATED, Severity.OPTIONAL);
        }
        if (timedOut) {
            if (!stream.sawContent()) {
                return SidecarReading.notApplicable(TIMEOUT);
            }
            stream.add(TIMEOUT, Severity.OPTIONAL);
        }
        if (exitCode != null && exitCode != 0) {
            // Exit status first, then text: a failing tool is unavailable unless its output already said
            // the input was wrong (an invalid field), which is more useful to report.
            boolean explained = stream.hasAtLeast(Severity.PARSE) && !stream.hasAtLeast(Severity.UNAVAILABLE);
            stream.add("nvidia_smi_exit:" + exitCode, explained ? Severity.PARSE : Severity.UNAVAILABLE);
        }
        return stream.finish();
    }
}
