package dev.orket.cli;

import dev.orket.api.OrketException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code orket} command.
 */
@Command(
        name = "orket",
        mixinStandardHelpOptions = true,
        versionProvider = OrketCommand.Version.class,
        description = "Quantization diagnostics for llama.cpp and Ollama runs.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            SweepCommand.class,
            ReportCommand.class,
            InventoryCommand.class,
            ProbeCommand.class,
            ProvidersCommand.class,
            VerifyProfilesCommand.class,
            CleanupCommand.class,
            SidecarCommand.class,
            AnalyzeCommand.class,
            SelectCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the checked thing does not hold (profiles, canary gate)",
            "2:usage error",
            "3:configuration error",
            "4:I/O failure or unexpected error"
        })
public final class OrketCommand implements Runnable {

    @Option(names = "--verbose", description = "Print stack traces with errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        OrketCommand root = new OrketCommand();
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(OrketCommand::exitCodeOf);
        commandLine.setParameterExceptionHandler((e, a) -> {
            err.println("orket: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("orket: " + oneLine(e));
            if (root.verbose) {
                e.printStackTrace(err);
            }
            return exitCodeOf(e);
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int exitCodeOf(Throwable e) {
        if (e instanceof OrketException) {
            return ExitCodes.CONFIGURATION;
        }
        if (e instanceof UncheckedIOException) {
            return ExitCodes.FAILURE;
        }
        return ExitCodes.FAILURE;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"orket " + dev.orket.core.sweep.OrketVersion.current()};
        }
    }
}
