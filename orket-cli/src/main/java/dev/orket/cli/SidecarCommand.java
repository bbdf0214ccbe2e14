package dev.orket.cli;

import dev.orket.api.SidecarReading;
import dev.orket.sidecar.nvidia.NvidiaSmiParser;
import dev.orket.sidecar.nvidia.SidecarReadingJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket sidecar parse FILE}: nvidia-smi output as canonical samples with the parse status.
 */
@Command(name = "sidecar", mixinStandardHelpOptions = true, description = "GPU sidecar tools.",
        subcommands = SidecarCommand.Parse.class)
final class SidecarCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "parse", mixinStandardHelpOptions = true,
            description = "Parse nvidia-smi output (--query-gpu CSV with or without header and units, or -q -x XML)"
                    + " and print the canonical samples, sidecar_parse_status and sidecar_parse_errors as JSON."
                    + " Exit 0 whenever the file could be read, whatever its status. Read as a stream: any length"
                    + " is parsed in bounded memory.")
    static final class Parse implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "A capture file, or - for standard input.")
        String file;

        @Option(names = "--fields", split = ",", paramLabel = "a,b,c",
                description = "The --query-gpu fields of a header-less CSV, in order.")
        List<String> fields;

        @Option(names = "--lane", paramLabel = "ci|lab", defaultValue = "lab",
                description = "The execution_lane the reading is labelled with (default ${DEFAULT-VALUE}: the"
                        + " capture came from a real GPU).")
        String lane;

        @Option(names = "--profile", paramLabel = "safe|balanced|stress", defaultValue = "balanced",
                description = "The vram_profile the reading is labelled with (default ${DEFAULT-VALUE}).")
        String profile;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            // Options first: a misspelled label fails before any input is read.
            dev.orket.api.ExecutionLane executionLane = Labels.lane(lane);
            dev.orket.api.VramProfile vramProfile = Labels.profile(profile);
            SidecarReading reading;
            try {
                if ("-".equals(file)) {
                    // Standard input is read as a stream, never whole: a capture can be gigabytes.
                    reading = NvidiaSmiParser.parse(System.in, fields);
                } else {
                    try (InputStream in = Files.newInputStream(Path.of(file))) {
                        reading = NvidiaSmiParser.parse(in, fields);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            try {
                SidecarReadingJson.write(reading, executionLane, vramProfile, out);
                out.println();
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ExitCodes.OK;
        }

    }
}
