package dev.orket.cli;

/**
 * The exit codes of every {@code orket} command (docs/cli.md).
 */
final class ExitCodes {

    /** Success: the command did what it was asked and what it checked holds. */
    static final int OK = 0;
    /** The command ran but what it checked does not hold (profiles fail, canary aborted the sweep). */
    static final int CHECK_FAILED = 1;
    /** Usage error: unknown option, missing argument. */
    static final int USAGE = 2;
    /** Misconfiguration: a config value, an unknown provider id, a refused directory. */
    static final int CONFIGURATION = 3;
    /** An I/O failure or an unexpected error. */
    static final int FAILURE = 4;
    /** Interrupted (SIGINT, SIGTERM): the ledgers are consistent; resume with {@code --resume}. */
    static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
