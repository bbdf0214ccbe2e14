package dev.orket.sidecar.nvidia.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the messages nvidia-smi prints instead of data, and records what each means.
 *
 * <p>Texts as printed (one per line):
 * <pre>
 * NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.
 * Failed to initialize NVML: Driver/library version mismatch
 * NVML library version: 535.161
 * Unable to determine the device handle for GPU 0000:03:00.0: GPU is lost.  Reboot the system to recover this GPU
 * Field "clocks_throttle_reasons.unknown" is not a valid field to query.
 * No devices were found
 * </pre>
 */
public final class ToolMessages {

    /** The code of every reading in which nvidia-smi could not report at all. */
    public static final String UNAVAILABLE = "nvidia_smi_unavailable";

    private static final Pattern DEVICE_HANDLE =
            Pattern.compile("Unable to determine the device handle for GPU\\s+([^\\s:]+(?::[^\\s:]+)*?):\\s.*");
    private static final Pattern INVALID_FIELD = Pattern.compile("Field \"([^\"]*)\" is not a valid field to query\\.?");

    private ToolMessages() {}

    /**
     * Records what {@code line} means when it is one of nvidia-smi's own messages.
     *
     * @return whether the line was such a message (and so is not data)
     */
    public static boolean record(String line, Findings findings) {
        String t = line.trim();
        if (t.startsWith("NVIDIA-SMI has failed")) {
            findings.add(UNAVAILABLE, Severity.UNAVAILABLE);
            findings.add(t.contains("couldn't communicate with the NVIDIA driver")
                    ? "nvidia_smi_error:driver_unreachable" : "nvidia_smi_error:failed", Severity.UNAVAILABLE);
            return true;
        }
        if (t.startsWith("Failed to initialize NVML")) {
            findings.add(UNAVAILABLE, Severity.UNAVAILABLE);
            findings.add("nvidia_smi_error:nvml_init_failed", Severity.UNAVAILABLE);
            return true;
        }
        if (t.startsWith("NVML library version")) {
            // Second line of the version-mismatch message; the first one was recorded already.
            return true;
        }
        if (t.equals("No devices were found")) {
            findings.add(UNAVAILABLE, Severity.UNAVAILABLE);
            findings.add("nvidia_smi_error:no_devices", Severity.UNAVAILABLE);
            return true;
        }
        Matcher handle = DEVICE_HANDLE.matcher(t);
        if (handle.matches()) {
            // One GPU fell off the bus; the others may still print rows, so this is not yet "unavailable".
            findings.add("gpu_unavailable:" + Findings.quote(handle.group(1)), Severity.UNAVAILABLE);
            return true;
        }
        if (t.startsWith("Unable to determine the device handle")) {
            findings.add("gpu_unavailable:unknown", Severity.UNAVAILABLE);
            return true;
        }
        Matcher field = INVALID_FIELD.matcher(t);
        if (field.matches()) {
            findings.invalidFormat("invalid_field:" + Findings.quote(field.group(1)));
            return true;
        }
        return false;
    }
}
