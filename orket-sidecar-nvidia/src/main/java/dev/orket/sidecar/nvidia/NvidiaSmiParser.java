package dev.orket.sidecar.nvidia;

import dev.orket.api.ComputeProcess;
import dev.orket.api.GpuSample;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.sidecar.nvidia.internal.ComputeAppsParser;
import dev.orket.sidecar.nvidia.internal.CsvGpuStream;
import dev.orket.sidecar.nvidia.internal.Findings;
import dev.orket.sidecar.nvidia.internal.LineFramer;
import dev.orket.sidecar.nvidia.internal.NvidiaLimits;
import dev.orket.sidecar.nvidia.internal.Severity;
import dev.orket.sidecar.nvidia.internal.XmlLogParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses captured nvidia-smi output into a {@link SidecarReading}: a pure function of the bytes,
 * which never throws for bad input.
 *
 * <p>Accepted: {@code --query-gpu} CSV with or without a header row and units, and {@code -q -x} XML.
 * The format is detected from the bytes: a document starting with {@code <} is XML; a first line
 * made of field names is a header; anything else is header-less CSV whose columns the caller names.
 *
 * @since 0.1
 */
public final class NvidiaSmiParser {

    /** Samples kept from one input; more marks the reading {@code sidecar_output_truncated}. */
    public static final int MAX_SAMPLES = 100_000;

    /** Longest line read, in bytes; a longer one is dropped and marks the reading truncated. */
    public static final int MAX_LINE_BYTES = NvidiaLimits.MAX_LINE_BYTES;

    /** Largest {@code -q -x} XML document read, in bytes; a larger one is {@code invalid_format:xml_too_large}. */
    public static final int MAX_XML_BYTES = (int) NvidiaLimits.MAX_ONCE_BYTES;

    private static final int CHUNK_BYTES = 1 << 16;

    private NvidiaSmiParser() {}

    /**
     * Parses one capture.
     *
     * @param input the tool's output, any encoding errors replaced as UTF-8 decoding does
     * @param queryFields the {@code --query-gpu} field list, needed for header-less CSV; null when the
     *     input has a header or is XML (header-less CSV without it is {@code invalid_format:missing_field_list})
     * @return the reading, never null
     */
    public static SidecarReading parse(byte[] input, @Nullable List<String> queryFields) {
        try {
            return parse(new ByteArrayInputStream(input), queryFields);
        } catch (IOException e) {
            throw new AssertionError("a byte array cannot fail to be read", e);
        }
    }

    /**
     * Parses one capture as a stream, in bounded memory whatever its length: CSV is read line by line
     * (lines of at most {@link #MAX_LINE_BYTES}, at most {@link #MAX_SAMPLES} samples and
     * {@value Findings#MAX_CODES} distinct error codes kept); an XML document is read whole up to
     * {@link #MAX_XML_BYTES} and refused beyond ({@code invalid_format:xml_too_large}).
     *
     * @param input the tool's output; read to its end (an XML document only up to the cap), not closed
     * @param queryFields as for {@link #parse(byte[], List)}
     * @return the reading, never null
     * @throws IOException only when {@code input} cannot be read
     */
    public static SidecarReading parse(InputStream input, @Nullable List<String> queryFields) throws IOException {
        byte[] buffer = new byte[CHUNK_BYTES];
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        int read;
        Boolean xml = null;
        while (xml == null && (read = input.read(buffer)) >= 0) {
            prefix.write(buffer, 0, read);
            xml = looksLikeXml(prefix.toByteArray(), prefix.size() >= CHUNK_BYTES);
        }
        byte[] start = prefix.toByteArray();
        if (Boolean.TRUE.equals(xml)) {
            return xml(start, input);
        }
        CsvGpuStream stream = new CsvGpuStream(queryFields, MAX_SAMPLES);
        LineFramer framer = new LineFramer(MAX_LINE_BYTES, line -> stream.accept(line, 0L));
        framer.accept(start, 0, start.length);
        while ((read = input.read(buffer)) >= 0) {
            framer.accept(buffer, 0, read);
        }
        framer.finish();
        if (framer.truncated()) {
            stream.add("sidecar_output_truncated", Severity.OPTIONAL);
        }
        return stream.finish();
    }

    private static SidecarReading xml(byte[] start, InputStream input) throws IOException {
        ByteArrayOutputStream document = new ByteArrayOutputStream();
        document.write(start);
        byte[] buffer = new byte[CHUNK_BYTES];
        int read;
        while (document.size() <= MAX_XML_BYTES && (read = input.read(buffer)) >= 0) {
            document.write(buffer, 0, read);
        }
        if (document.size() > MAX_XML_BYTES) {
            Findings findings = new Findings();
            findings.invalidFormat("xml_too_large");
            return findings.toReading(List.of());
        }
        return XmlLogParser.parse(document.toByteArray());
    }

    /**
     * Parses {@code --query-compute-apps} output.
     *
     * @param fields the query's field list, needed when the output has no header; null otherwise
     * @return the processes and any error codes, each prefixed {@code compute_apps:}
     */
    public static ComputeApps parseComputeApps(byte[] input, @Nullable List<String> fields) {
        ComputeAppsParser.Result r = ComputeAppsParser.parse(input, fields);
        List<String> errors = new ArrayList<>();
        for (String code : r.findings().toReading(List.of()).parseErrors()) {
            errors.add("compute_apps:" + code);
        }
        return new ComputeApps(r.processes(), errors);
    }

    /**
     * Fills {@code computeProcesses} of the last sample of every GPU in {@code reading} with that GPU's
     * processes (an empty list when it has none). Errors of {@code apps} are added and, being about an
     * optional field, degrade an {@code OK} reading to {@code OPTIONAL_FIELD_MISSING} and no further.
     */
    public static SidecarReading withComputeProcesses(SidecarReading reading, ComputeApps apps) {
        if (reading.samples().isEmpty()) {
            return reading;
        }
        Map<String, Integer> lastByUuid = new HashMap<>();
        List<GpuSample> samples = reading.samples();
        for (int i = 0; i < samples.size(); i++) {
            String uuid = samples.get(i).gpuUuid();
            if (uuid != null) {
                lastByUuid.put(uuid, i);
            }
        }
        List<GpuSample> out = new ArrayList<>(samples);
        for (Map.Entry<String, Integer> e : lastByUuid.entrySet()) {
            List<ComputeProcess> mine = new ArrayList<>();
            for (ComputeProcess p : apps.processes()) {
                if (e.getKey().equals(p.gpuUuid())) {
                    mine.add(p);
                }
            }
            out.set(e.getValue(), withProcesses(samples.get(e.getValue()), mine));
        }
        List<String> errors = new ArrayList<>(reading.parseErrors());
        errors.addAll(apps.errors());
        SidecarParseStatus status = reading.parseStatus();
        if (status == SidecarParseStatus.OK && !apps.errors().isEmpty()) {
            status = SidecarParseStatus.OPTIONAL_FIELD_MISSING;
        }
        return new SidecarReading(out, status, errors);
    }

    private static GpuSample withProcesses(GpuSample s, List<ComputeProcess> processes) {
        return new GpuSample(s.offsetMs(), s.gpuIndex(), s.gpuUuid(), s.gpuName(), s.vramTotalMib(), s.vramUsedMib(),
                s.vramFreeMib(), s.vramReservedMib(), s.driverVersion(), s.gpuUtilizationPct(),
                s.memoryUtilizationPct(), s.temperatureC(), s.memoryTemperatureC(), s.powerDrawW(), s.powerLimitW(),
                s.smClockMhz(), s.memClockMhz(), s.pstate(), s.fanSpeedPct(), s.throttleReasons(), processes);
    }

    /**
     * Whether the input is XML (its first byte after a UTF-8 byte order mark and white space is {@code <}), or
     * null when the prefix read so far is only white space and {@code decide} is false.
     */
    private static @Nullable Boolean looksLikeXml(byte[] input, boolean decide) {
        int i = 0;
        // Skip a UTF-8 byte order mark.
        if (input.length >= 3 && (input[0] & 0xFF) == 0xEF && (input[1] & 0xFF) == 0xBB && (input[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < input.length && (input[i] == ' ' || input[i] == '\t' || input[i] == '\r' || input[i] == '\n')) {
            i++;
        }
        if (i < input.length) {
            return input[i] == '<';
        }
        return decide ? Boolean.FALSE : null;
    }
}
