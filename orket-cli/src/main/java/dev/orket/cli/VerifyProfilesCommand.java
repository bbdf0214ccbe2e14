package dev.orket.cli;

import dev.orket.core.sweep.ContextProfiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket verify-profiles FILE}: checks a context sweep profile file.
 */
@Command(name = "verify-profiles", mixinStandardHelpOptions = true,
        description = "Check a context sweep profile file: every profile and key present, of the right type and"
                + " range, and no threshold looser than the shipped defaults. Exit 0 when it holds, 1 naming each"
                + " failing key otherwise.")
final class VerifyProfilesCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The profile file, e.g. profiles/context_sweep_profiles.json.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> failures = ContextProfiles.verify(text);
        PrintWriter out = spec.commandLine().getOut();
        if (failures.isEmpty()) {
            out.println(file + ": ok");
            return ExitCodes.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String failure : failures) {
            err.println(file + ": " + failure);
        }
        return ExitCodes.CHECK_FAILED;
    }
}
