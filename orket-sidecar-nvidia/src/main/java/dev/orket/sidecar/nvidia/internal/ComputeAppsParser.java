package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.ComputeProcess;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code --query-compute-apps} CSV, with or without a header and units.
 *
 * <p>Wire format ({@code --format=csv}):
 * <pre>
 * timestamp, gpu_name, gpu_bus_id, gpu_serial, gpu_uuid, pid, process_name, used_gpu_memory [MiB]
 * 2026/07/14 08:12:53.500, NVIDIA H100 80GB HBM3, 00000000:00:09.0, 0000000000000, GPU-0000…, 11327, /root/tools/memhog, 2566 MiB
 * </pre>
 * With {@code noheader} and no running process the output is empty.
 */
public final class ComputeAppsParser {

    /** The query the sidecar sends with {@code --query-compute-apps=}. */
    public static final List<String> QUERY = List.of("gpu_uuid", "pid", "process_name", "used_memory");

    /** What one compute-apps output held. */
    public record Result(List<ComputeProcess> processes, Findings findings) {}

    private ComputeAppsParser() {}

    /** Parses the whole output; {@code fields} names the columns when it has no header. */
    public static Result parse(byte[] input, @Nullable List<String> fields) {
        Findings findings = new Findings();
        List<String> lines = new ArrayList<>();
        LineFramer framer = new LineFramer(1 << 16, lines::add);
        framer.accept(input, 0, input.length);
        framer.finish();
        List<ComputeProcess> out = new ArrayList<>();
        List<String> columns = fields == null ? null : normalized(fields);
        boolean first = true;
        for (String raw : lines) {
            String line = raw.strip();
            if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.equals("No running processes found") || ToolMessages.record(line, findings)) {
                continue;
            }
            String[] cells = CsvGpuStream.split(line);
            if (first) {
                first = false;
                List<String> names = normalized(List.of(cells));
                if (names.contains("pid")) {
                    columns = names;
                    continue;
                }
            }
            if (columns == null) {
                findings.invalidFormat("missing_field_list");
                break;
            }
            if (cells.length != columns.size()) {
                findings.invalidFormat("column_count");
                continue;
            }
            ComputeProcess p = row(columns, cells, findings);
            if (p != null) {
                out.add(p);
            }
        }
        return new Result(out, findings);
    }

    private static @Nullable ComputeProcess row(List<String> columns, String[] cells, Findings findings) {
        String uuid = null;
        String pid = null;
        String name = "";
        String mem = null;
        for (int i = 0; i < cells.length; i++) {
            switch (columns.get(i)) {
                case "gpu_uuid" -> uuid = ValueToken.isAbsent(cells[i]) ? null : cells[i];
                case "pid" -> pid = cells[i];
                case "process_name", "name" -> name = cells[i];
                case "used_memory", "used_gpu_memory" -> mem = cells[i];
                default -> {
                    // Columns such as timestamp or gpu_bus_id are not part of a ComputeProcess.
                }
            }
        }
        Long pidValue = pid == null ? null : ValueToken.integer(pid, CanonicalKey.COMPUTE_PROCESSES);
        if (pidValue == null) {
            findings.invalid(CanonicalKey.COMPUTE_PROCESSES, pid == null ? "" : pid);
            return null;
        }
        Long used = mem == null || ValueToken.isAbsent(mem) ? null : ValueToken.integer(mem, CanonicalKey.VRAM_USED_MIB);
        return new ComputeProcess(uuid, pidValue, name, used);
    }

    private static List<String> normalized(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(QueryField.normalize(n));
        }
        return out;
    }
}
