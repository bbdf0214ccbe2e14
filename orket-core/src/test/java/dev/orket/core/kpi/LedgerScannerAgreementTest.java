package dev.orket.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ExecutionLane;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.core.policy.RunPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LedgerScannerAgreementTest {

    @Property(tries = 40)
    @Label("aggregating a ledger gives the same summary as aggregating the records it was written from")
    void ledgerMatchesRecords(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        List<RunTelemetry> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestRuns run = TestRuns.run("r" + i)
                    .quant(random.nextInt(5) == 0 ? null : "Q" + random.nextInt(3))
                    .context(random.nextInt(3) == 0 ? null : 512 << random.nextInt(2))
                    .lane(random.nextBoolean() ? ExecutionLane.CI : ExecutionLane.LAB)
                    .profile(VramProfile.values()[random.nextInt(3)])
                    .speed(random.nextDouble() * 100)
                    .ttft(random.nextBoolean() ? null : random.nextDouble() * 100)
                    .vram(random.nextBoolean() ? null : (long) random.nextInt(10_000));
            switch (random.nextInt(6)) {
                case 0:
                    run.failed();
                    break;
                case 1:
                    run.polluted(RunQualityReason.COLD_MODEL_LOAD, RunQualityReason.PROMPT_CACHE_HIT);
                    break;
                case 2:
                    run.tokenStatus(TokenMetricsStatus.TOKEN_COUNT_UNAVAILABLE);
                    break;
                default:
                    break;
            }
            runs.add(run.build());
        }
        KpiAggregator direct = new KpiAggregator(RunPolicy.DEFAULT);
        StringBuilder ledger = new StringBuilder();
        for (RunTelemetry run : runs) {
            direct.add(run, run.identity().runId().hashCode() % 2 == 0 ? 0.5 : null);
            ledger.append(TelemetryJson.toJson(run)).append('\n');
        }
        Path file = Files.createTempFile("ledger", ".jsonl");
        try {
            Files.writeString(file, ledger, StandardCharsets.UTF_8);
            KpiAggregator scanned = new KpiAggregator(RunPolicy.DEFAULT);
            scanned.addLedger(file, runId -> runId.hashCode() % 2 == 0 ? 0.5 : null, LedgerCheck.NONE);
            assertThat(scanned.summary()).isEqualTo(direct.summary());
        } finally {
            Files.delete(file);
        }
    }
}
