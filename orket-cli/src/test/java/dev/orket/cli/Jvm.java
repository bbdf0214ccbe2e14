package dev.orket.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the orket command line in a separate JVM, a real second process, with this test's class path. */
final class Jvm {

    private Jvm() {}

    /** The command line of {@code java [jvmOptions] -cp … OrketCommand args}. */
    static List<String> orket(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(OrketCommand.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** The number of complete lines of a file, 0 when it does not exist yet. */
    static int lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        int count = 0;
        for (byte b : Files.readAllBytes(file)) {
            count += b == '\n' ? 1 : 0;
        }
        return count;
    }
}
