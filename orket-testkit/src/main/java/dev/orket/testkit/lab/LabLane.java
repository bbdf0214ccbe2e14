package dev.orket.testkit.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Entry point of the {@code lab-cpu} lane for integration tests ({@code *IT}, run by Failsafe inside
 * {@code ./mvnw -B verify}): the real llama-server named by {@code ORKET_LLAMA_SERVER} and the GGUF files in
 * {@code ORKET_GGUF_DIR}. Without them the test is skipped and one line says which variable is missing or wrong;
 * it never passes silently.
 *
 * <pre>{@code
 * @BeforeAll
 * static void lab() {
 *     lab = LabLane.llamaServer(LlamaServerIT.class);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class LabLane {

    /** The variable naming the llama-server executable. */
    public static final String SERVER_VARIABLE = "ORKET_LLAMA_SERVER";
    /** The variable naming the directory of GGUF files. */
    public static final String GGUF_VARIABLE = "ORKET_GGUF_DIR";

    private LabLane() {}

    /**
     * A lab with a real llama-server and its GGUF files.
     *
     * @param executable the llama-server executable, never null
     * @param ggufFiles the {@code .gguf} files of the directory, sorted by name, never empty
     */
    public record LlamaServerLab(Path executable, List<Path> ggufFiles) {
        public LlamaServerLab {
            Objects.requireNonNull(executable, "executable");
            ggufFiles = List.copyOf(ggufFiles);
            if (ggufFiles.isEmpty()) {
                throw new IllegalArgumentException("a lab needs at least one GGUF file");
            }
        }

        /**
         * The GGUF file whose name ends with {@code -<quantTag>.gguf} (e.g. {@code Q4_K_M}).
         *
         * @throws IllegalArgumentException when no file matches, naming the files there are
         */
        public Path gguf(String quantTag) {
            String suffix = ("-" + quantTag + ".gguf").toUpperCase(Locale.ROOT);
            return ggufFiles.stream()
                    .filter(file -> file.getFileName().toString().toUpperCase(Locale.ROOT).endsWith(suffix))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no GGUF file ending in " + suffix + " among "
                            + ggufFiles.stream().map(f -> f.getFileName().toString()).collect(Collectors.toList())));
        }
    }

    /**
     * The lab from the environment, or the calling test is skipped (a JUnit assumption) after one line on
     * standard output names the variable that is missing or wrong.
     *
     * @param testClass the integration test, named in the skip line
     */
    public static LlamaServerLab llamaServer(Class<?> testClass) {
        return llamaServer(testClass, System.getenv(), System.out);
    }

    static LlamaServerLab llamaServer(Class<?> testClass, Map<String, String> environment, PrintStream out) {
        String problem = problem(environment);
        if (problem != null) {
            out.println("lab-cpu lane skipped in " + testClass.getSimpleName() + ": " + problem);
            Assumptions.abort("lab-cpu lane skipped: " + problem);
        }
        return new LlamaServerLab(Path.of(environment.get(SERVER_VARIABLE)),
                ggufFiles(Path.of(environment.get(GGUF_VARIABLE))));
    }

    /** Why the environment names no usable lab, or null when it does. */
    static @Nullable String problem(Map<String, String> environment) {
        String server = environment.get(SERVER_VARIABLE);
        if (server == null || server.isBlank()) {
            return SERVER_VARIABLE + " is not set; set it to a llama-server executable (see README, lab-cpu lane)";
        }
        Path executable = Path.of(server);
        if (!Files.isRegularFile(executable)) {
            return SERVER_VARIABLE + "=" + server + " is not a file";
        }
        if (!Files.isExecutable(executable)) {
            return SERVER_VARIABLE + "=" + server + " is not executable; copy it and chmod +x the copy";
        }
        String dir = environment.get(GGUF_VARIABLE);
        if (dir == null || dir.isBlank()) {
            return GGUF_VARIABLE + " is not set; set it to a directory of GGUF files (see README, lab-cpu lane)";
        }
        Path directory = Path.of(dir);
        if (!Files.isDirectory(directory)) {
            return GGUF_VARIABLE + "=" + dir + " is not a directory";
        }
        if (ggufFiles(directory).isEmpty()) {
            return GGUF_VARIABLE + "=" + dir + " holds no .gguf file";
        }
        return null;
    }

    private static List<Path> ggufFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".gguf") && Files.isRegularFile(file))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /**
     * Prints one test's totals, so that the CI log shows the lane ran and what it covered:
     * {@code lab-cpu lane: <what>: <runs> runs, <quants> quants, <seconds> s}.
     */
    public static void printTotals(String what, int runs, int quants, Duration elapsed) {
        System.out.println(totalsLine(what, runs, quants, elapsed));
    }

    static String totalsLine(String what, int runs, int quants, Duration elapsed) {
        return String.format(Locale.ROOT, "lab-cpu lane: %s: %d runs, %d quants, %.1f s", what, runs, quants,
                elapsed.toMillis() / 1000.0);
    }
}
