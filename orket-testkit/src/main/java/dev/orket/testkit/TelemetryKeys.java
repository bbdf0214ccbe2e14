package dev.orket.testkit;

import java.util.List;

/** The keys every serialized run telemetry record carries, on every path (DESIGN §4). */
final class TelemetryKeys {

    static final List<String> ALL = List.of("schema_version", "record_type", "run_id", "sweep_id", "session_id",
            "provider", "model", "quant_tag", "stream", "execution_lane", "vram_profile", "started_at", "ended_at",
            "terminal_state", "finish_reason", "failure_kind", "failure_message", "http_status", "prompt_tokens",
            "cached_prompt_tokens", "output_tokens", "total_tokens", "server_prompt_ms", "server_generation_ms", "load_ms",
            "prompt_tokens_per_second", "generation_tokens_per_second", "client_connect_ms", "client_ttft_ms",
            "client_time_per_output_token_ms", "chunk_count", "token_metrics_status", "wall_seconds",
            "internal_model_seconds", "orchestration_overhead_ratio", "metric_provenance", "unavailable_reasons",
            "run_quality_status", "run_quality_reasons", "run_quality_details", "valid", "invalid_reasons",
            "sidecar_parse_status", "sidecar_parse_errors", "sidecar", "server_context_size", "hardware_flags",
            "hardware_flag_details", "host_cpu_percent", "host_load_1m", "host_core_count", "foreign_cpu_percent",
            "server_cpu_percent", "orket_cpu_percent", "host", "controls_applied");

    /** The metric keys whose null value must come with an entry in {@code unavailable_reasons}. */
    static final List<String> METRICS = List.of("prompt_tokens", "cached_prompt_tokens", "output_tokens", "total_tokens",
            "server_prompt_ms", "server_generation_ms", "load_ms", "prompt_tokens_per_second",
            "generation_tokens_per_second", "client_connect_ms", "client_ttft_ms", "client_time_per_output_token_ms",
            "wall_seconds",
            "internal_model_seconds", "orchestration_overhead_ratio");

    private TelemetryKeys() {}
}
