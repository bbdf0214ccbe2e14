/**
 * The nvidia-smi GPU sidecar: {@link dev.orket.sidecar.nvidia.NvidiaSmiSidecarFactory} (id
 * {@code nvidia-smi}, found by {@link java.util.ServiceLoader}) samples GPUs with one long-lived
 * {@code nvidia-smi --query-gpu … -lms} process per run; {@link dev.orket.sidecar.nvidia.NvidiaSmiParser}
 * turns captured CSV or {@code -q -x} XML into canonical samples; and
 * {@link dev.orket.sidecar.nvidia.SidecarReadingJson} writes a reading as JSON.
 */
@NullMarked
package dev.orket.sidecar.nvidia;

import org.jspecify.annotations.NullMarked;
