package dev.orket.api;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One GPU's state at one instant, in canonical snake_case terms (see
 * {@code docs/specs/sidecar-sample.schema.json}). Absent values are null, never zero.
 *
 * @param offsetMs milliseconds since the sidecar session started, on the run's monotonic clock
 * @param gpuIndex required: the GPU's index
 * @param gpuUuid required: the GPU's UUID
 * @param gpuName required: the product name
 * @param vramTotalMib required: total memory in MiB
 * @param vramUsedMib required: used memory in MiB
 * @param vramFreeMib free memory in MiB
 * @param vramReservedMib memory reserved by the driver in MiB
 * @param driverVersion the driver version
 * @param gpuUtilizationPct GPU utilization in percent
 * @param memoryUtilizationPct memory controller utilization in percent
 * @param temperatureC GPU core temperature in °C
 * @param memoryTemperatureC memory temperature in °C
 * @param powerDrawW power draw in watts
 * @param powerLimitW power limit in watts
 * @param smClockMhz SM clock in MHz
 * @param memClockMhz memory clock in MHz
 * @param pstate performance state, {@code P0}…{@code P12}
 * @param fanSpeedPct fan speed in percent
 * @param throttleReasons active clock event reasons, or null when not reported
 * @param computeProcesses processes using this GPU, or null when not reported
 * @since 0.1
 */
public record GpuSample(
        long offsetMs,
        @Nullable Integer gpuIndex,
        @Nullable String gpuUuid,
        @Nullable String gpuName,
        @Nullable Long vramTotalMib,
        @Nullable Long vramUsedMib,
        @Nullable Long vramFreeMib,
        @Nullable Long vramReservedMib,
        @Nullable String driverVersion,
        @Nullable Double gpuUtilizationPct,
        @Nullable Double memoryUtilizationPct,
        @Nullable Double temperatureC,
        @Nullable Double memoryTemperatureC,
        @Nullable Double powerDrawW,
        @Nullable Double powerLimitW,
        @Nullable Double smClockMhz,
        @Nullable Double memClockMhz,
        @Nullable String pstate,
        @Nullable Double fanSpeedPct,
        @Nullable Set<ThrottleReason> throttleReasons,
        @Nullable List<ComputeProcess> computeProcesses) {

    public GpuSample {
        throttleReasons = throttleReasons == null ? null : Set.copyOf(throttleReasons);
        computeProcesses = computeProcesses == null ? null : List.copyOf(computeProcesses);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GpuSample}; every field starts absent. */
    public static final class Builder {
        private long offsetMs;
        private @Nullable Integer gpuIndex;
        private @Nullable String gpuUuid;
        private @Nullable String gpuName;
        private @Nullable Long vramTotalMib;
        private @Nullable Long vramUsedMib;
        private @Nullable Long vramFreeMib;
        private @Nullable Long vramReservedMib;
        private @Nullable String driverVersion;
        private @Nullable Double gpuUtilizationPct;
        private @Nullable Double memoryUtilizationPct;
        private @Nullable Double temperatureC;
        private @Nullable Double memoryTemperatureC;
        private @Nullable Double powerDrawW;
        private @Nullable Double powerLimitW;
        private @Nullable Double smClockMhz;
        private @Nullable Double memClockMhz;
        private @Nullable String pstate;
        private @Nullable Double fanSpeedPct;
        private @Nullable Set<ThrottleReason> throttleReasons;
        private @Nullable List<ComputeProcess> computeProcesses;

        private Builder() {}

        public Builder offsetMs(long value) {
            this.offsetMs = value;
            return this;
        }

        public Builder gpuIndex(@Nullable Integer value) {
            this.gpuIndex = value;
            return this;
        }

        public Builder gpuUuid(@Nullable String value) {
            this.gpuUuid = value;
            return this;
        }

        public Builder gpuName(@Nullable String value) {
            this.gpuName = value;
            return this;
        }

        public Builder vramTotalMib(@Nullable Long value) {
            this.vramTotalMib = value;
            return this;
        }

        public Builder vramUsedMib(@Nullable Long value) {
            this.vramUsedMib = value;
            return this;
        }

        public Builder vramFreeMib(@Nullable Long value) {
            this.vramFreeMib = value;
            return this;
        }

        public Builder vramReservedMib(@Nullable Long value) {
            this.vramReservedMib = value;
            return this;
        }

        public Builder driverVersion(@Nullable String value) {
            this.driverVersion = value;
            return this;
        }

        public Builder gpuUtilizationPct(@Nullable Double value) {
            this.gpuUtilizationPct = value;
            return this;
        }

        public Builder memoryUtilizationPct(@Nullable Double value) {
            this.memoryUtilizationPct = value;
            return this;
        }

        public Builder temperatureC(@Nullable Double value) {
            this.temperatureC = value;
            return this;
        }

        public Builder memoryTemperatureC(@Nullable Double value) {
            this.memoryTemperatureC = value;
            return this;
        }

        public Builder powerDrawW(@Nullable Double value) {
            this.powerDrawW = value;
            return this;
        }

        public Builder powerLimitW(@Nullable Double value) {
            this.powerLimitW = value;
            return this;
        }

        public Builder smClockMhz(@Nullable Double value) {
            this.smClockMhz = value;
            return this;
        }

        public Builder memClockMhz(@Nullable Double value) {
            this.memClockMhz = value;
            return this;
        }

        public Builder pstate(@Nullable String value) {
            this.pstate = value;
            return this;
        }

        public Builder fanSpeedPct(@Nullable Double value) {
            this.fanSpeedPct = value;
            return this;
        }

        public Builder throttleReasons(@Nullable Set<ThrottleReason> value) {
            this.throttleReasons = value;
            return this;
        }

        public Builder computeProcesses(@Nullable List<ComputeProcess> value) {
            this.computeProcesses = value;
            return this;
        }

        public GpuSample build() {
            return new GpuSample(offsetMs, gpuIndex, gpuUuid, gpuName, vramTotalMib, vramUsedMib, vramFreeMib,
                    vramReservedMib, driverVersion, gpuUtilizationPct, memoryUtilizationPct, temperatureC,
                    memoryTemperatureC, powerDrawW, powerLimitW, smClockMhz, memClockMhz, pstate, fanSpeedPct,
                    throttleReasons, computeProcesses);
        }
    }
}
