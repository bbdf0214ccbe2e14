package dev.orket.sidecar.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.GpuSample;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Parse rules")
class ParserRulesTest {

    private static SidecarReading csv(String text, List<String> fields) {
        return NvidiaSmiParser.parse(text.getBytes(StandardCharsets.UTF_8), fields);
    }

    @Nested
    @DisplayName("Absent and invalid values")
    class Values {

        @Test
        @DisplayName("every absent spelling is null, never zero, and named missing")
        void absentSpellings() {
            List<String> fields = List.of("index", "uuid", "name", "memory.total", "memory.used", "power.draw",
                    "fan.speed", "temperature.memory", "utilization.gpu", "clocks.sm", "pstate");
            SidecarReading r = csv("0, GPU-a, X, 100, 10, [Not Supported], [Unknown Error], N/A, , "
                    + "[Requested functionality has been deprecated], [N/A]\n", fields);
            GpuSample s = r.samples().get(0);
            assertThat(s.powerDrawW()).isNull();
            assertThat(s.fanSpeedPct()).isNull();
            assertThat(s.memoryTemperatureC()).isNull();
            assertThat(s.gpuUtilizationPct()).isNull();
            assertThat(s.smClockMhz()).isNull();
            assertThat(s.pstate()).isNull();
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OPTIONAL_FIELD_MISSING);
            assertThat(r.parseErrors()).containsExactly("missing:fan_speed_pct", "missing:gpu_utilization_pct",
                    "missing:memory_temperature_c", "missing:power_draw_w", "missing:pstate", "missing:sm_clock_mhz");
        }

        @Test
        @DisplayName("a value that is not a number is invalid_value with the raw token")
        void invalidValue() {
            SidecarReading r = csv("0, GPU-a, X, 100, 10, abc, 12 GiB\n",
                    List.of("index", "uuid", "name", "memory.total", "memory.used", "temperature.gpu", "memory.free"));
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OPTIONAL_FIELD_MISSING);
            assertThat(r.parseErrors()).containsExactly("invalid_value:temperature_c:abc", "invalid_value:vram_free_mib:12 GiB");
        }

        @Test
        @DisplayName("a missing required column or value is REQUIRED_FIELD_MISSING")
        void requiredMissing() {
            SidecarReading r = csv("0, [N/A], X, 100\n", List.of("index", "uuid", "name", "memory.total"));
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.REQUIRED_FIELD_MISSING);
            assertThat(r.parseErrors()).containsExactly("missing:gpu_uuid", "missing:vram_used_mib");
            assertThat(r.samples()).hasSize(1);
        }

        @Test
        @DisplayName("optionals that were not queried are not missing")
        void unqueriedOptionalsAreNotMissing() {
            SidecarReading r = csv("0, GPU-a, X, 100, 10\n", Corpus.BASIC_QUERY);
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OK);
            assertThat(r.parseErrors()).isEmpty();
        }
    }

    @Nested
    @DisplayName("Throttle reasons")
    class Throttle {

        @Test
        @DisplayName("unknown high bits keep the known reasons and name the rest")
        void unknownBits() {
            SidecarReading r = csv("0, GPU-a, X, 1, 1, 0x0000000000000244\n",
                    List.of("index", "uuid", "name", "memory.total", "memory.used", "clocks_event_reasons.active"));
            assertThat(r.samples().get(0).throttleReasons())
                    .containsExactlyInAnyOrder(ThrottleReason.SW_POWER_CAP, ThrottleReason.HW_THERMAL_SLOWDOWN);
            assertThat(r.parseErrors()).containsExactly("unknown_throttle_reason:0x0000000000000200");
        }

        @Test
        @DisplayName("old per-reason columns are decoded when there is no bitmask")
        void perReasonColumns() {
            SidecarReading r = csv("0, GPU-a, X, 1, 1, Active, Not Active, Active\n",
                    List.of("index", "uuid", "name", "memory.total", "memory.used",
                            "clocks_throttle_reasons.sw_power_cap", "clocks_throttle_reasons.gpu_idle",
                            "clocks_throttle_reasons.hw_slowdown"));
            assertThat(r.samples().get(0).throttleReasons())
                    .containsExactlyInAnyOrder(ThrottleReason.SW_POWER_CAP, ThrottleReason.HW_SLOWDOWN);
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OK);
        }
    }

    @Nested
    @DisplayName("Framing")
    class Framing {

        @Test
        @DisplayName("header-less CSV without a field list is invalid_format:missing_field_list")
        void missingFieldList() {
            SidecarReading r = NvidiaSmiParser.parse("0, GPU-a, X, 1, 1\n".getBytes(StandardCharsets.UTF_8), null);
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.PARSE_ERROR);
            assertThat(r.parseErrors()).containsExactly("invalid_format:missing_field_list");
        }

        @Test
        @DisplayName("empty input and garbage are PARSE_ERROR")
        void emptyAndGarbage() {
            assertThat(csv("", Corpus.BASIC_QUERY).parseErrors()).containsExactly("invalid_format:empty");
            SidecarReading garbage = csv("hello world\n\u0000\u0001 binary\n", Corpus.BASIC_QUERY);
            assertThat(garbage.parseStatus()).isEqualTo(SidecarParseStatus.PARSE_ERROR);
            assertThat(garbage.parseErrors()).containsExactly("invalid_format:column_count:line_1",
                    "invalid_format:column_count:line_2");
        }

        @Test
        @DisplayName("a row whose column count differs from the header is rejected by line number; good rows are kept")
        void misalignedRowRejected() {
            String capture = "index, uuid, name, memory.total [MiB], memory.used [MiB], temperature.gpu\n"
                    + "0, GPU-a, X, 100 MiB, 10 MiB, 40\n"
                    + "0, GPU-a, X, extra, 100 MiB, 10 MiB, 41\n"
                    + "0, GPU-a, X, 100 MiB, 12 MiB\n"
                    + "0, GPU-a, X, 100 MiB, 11 MiB, 42\n";

            SidecarReading r = csv(capture, null);

            assertThat(r.samples()).extracting(GpuSample::temperatureC).containsExactly(40.0, 42.0);
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.PARSE_ERROR);
            assertThat(r.parseErrors()).containsExactly("invalid_format:column_count:line_3",
                    "invalid_format:column_count:line_4");
        }

        @Test
        @DisplayName("rejected rows are named up to eight, then counted as more; an overlong line keeps the numbering")
        void rejectedRowsBounded() {
            StringBuilder capture = new StringBuilder("x".repeat(NvidiaSmiParser.MAX_LINE_BYTES + 1)).append('\n');
            for (int i = 0; i < 20; i++) {
                capture.append("0, GPU-a\n");
            }

            SidecarReading r = csv(capture.toString(), Corpus.BASIC_QUERY);

            assertThat(r.parseErrors()).contains("invalid_format:column_count:line_2",
                    "invalid_format:column_count:line_9", "invalid_format:column_count:more_lines",
                    "sidecar_output_truncated").doesNotContain("invalid_format:column_count:line_10");
        }

        @Test
        @DisplayName("rows restart a round when the first GPU index comes back")
        void rounds() {
            SidecarReading r = csv("0, GPU-a, X, 1, 1\n1, GPU-b, X, 1, 1\n0, GPU-a, X, 1, 2\n1, GPU-b, X, 1, 2\n",
                    Corpus.BASIC_QUERY);
            assertThat(r.samples()).extracting(GpuSample::gpuIndex).containsExactly(0, 1, 0, 1);
        }

        @Test
        @DisplayName("a header row wins over the field list and a UTF-8 BOM is skipped")
        void headerWins() {
            SidecarReading r = csv("\uFEFFname, index, uuid, memory.used [MiB], memory.total [MiB]\nX, 3, GPU-a, 5 MiB, 9 MiB\n",
                    Corpus.BASIC_QUERY);
            assertThat(r.samples().get(0).gpuIndex()).isEqualTo(3);
            assertThat(r.samples().get(0).vramTotalMib()).isEqualTo(9L);
        }
    }

    @Nested
    @DisplayName("XML safety")
    class Xml {

        @Test
        @DisplayName("an external entity is never resolved")
        void noXxe() {
            String xml = "<?xml version=\"1.0\"?><!DOCTYPE nvidia_smi_log [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<nvidia_smi_log><gpu><product_name>&x;</product_name><uuid>GPU-a</uuid>"
                    + "<fb_memory_usage><total>1 MiB</total><used>1 MiB</used></fb_memory_usage></gpu></nvidia_smi_log>";
            SidecarReading r = NvidiaSmiParser.parse(xml.getBytes(StandardCharsets.UTF_8), null);
            assertThat(r.samples()).hasSize(1);
            assertThat(r.samples().get(0).gpuName()).isNull();
            assertThat(r.parseErrors()).containsExactly("missing:gpu_name");
        }

        @Test
        @DisplayName("broken XML is invalid_format:xml and a foreign root is invalid_format:xml_root")
        void brokenXml() {
            assertThat(NvidiaSmiParser.parse("<nvidia_smi_log><gpu>".getBytes(StandardCharsets.UTF_8), null).parseErrors())
                    .containsExactly("invalid_format:xml");
            assertThat(NvidiaSmiParser.parse("<html/>".getBytes(StandardCharsets.UTF_8), null).parseErrors())
                    .containsExactly("invalid_format:xml_root");
        }
    }
}
