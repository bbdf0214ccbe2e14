package dev.orket.cli;

import dev.orket.core.sweep.OutputCleanup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code orket cleanup DIR [--apply]}: lists, or with {@code --apply} deletes, ephemeral outputs.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = "List the ephemeral outputs (sidecar samples, warm-up ledgers, server logs, torn lines,"
                + " temporaries) of an Orket output directory. Dry-run by default; --apply deletes them. Never"
                + " deletes outside DIR, never follows a symbolic link, refuses /, the home directory and a"
                + " directory that is not an Orket output directory.")
final class CleanupCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "An Orket output directory.")
    Path directory;

    @Option(names = "--apply", description = "Delete what is listed (default: only list).")
    boolean apply;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OutputCleanup.Plan plan = apply ? OutputCleanup.apply(directory) : OutputCleanup.plan(directory);
        PrintWriter out = spec.commandLine().getOut();
        String verb = apply ? "deleted" : "would delete";
        for (Path path : plan.deletions()) {
            out.println(verb + ": " + path);
        }
        for (Path link : plan.skippedLinks()) {
            out.println("skipped symbolic link: " + link);
        }
        out.println(plan.deletions().size() + " path(s), " + plan.bytes() + " bytes " + verb
                + (apply ? "" : "; run again with --apply to delete"));
        return ExitCodes.OK;
    }
}
