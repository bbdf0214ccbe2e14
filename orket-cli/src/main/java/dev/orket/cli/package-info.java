/**
 * The {@code orket} command: picocli subcommands over the library, errors as one clear line (a stack
 * trace only with {@code --verbose}), exit codes documented in {@code docs/cli.md}.
 */
@NullMarked
package dev.orket.cli;

import org.jspecify.annotations.NullMarked;
