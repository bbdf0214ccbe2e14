package dev.orket.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufInventoryTest {

    @Test
    @DisplayName("scan lists GGUF files sorted, refuses links escaping the root and reports malformed headers")
    void scan(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("sub/tiny-Q8_0.gguf"), GgufReaderTest.complete("Q8_0"));
        Files.write(root.resolve("tiny-Q4_0.gguf"), GgufReaderTest.complete("Q4_0"));
        Files.writeString(root.resolve("notes.txt"), "ignored");
        Files.writeString(root.resolve("broken.gguf"), "GGUF");
        Path outside = Files.write(dir.resolve("outside.gguf"), GgufReaderTest.complete("Q2_K"));
        Files.createSymbolicLink(root.resolve("escape.gguf"), outside);
        Files.createSymbolicLink(root.resolve("inside.gguf"), root.resolve("tiny-Q4_0.gguf"));

        Inventory inventory = GgufInventory.scan(root, DigestPolicy.ALL);

        assertThat(inventory.models()).extracting(ModelFile::relativePath)
                .containsExactly("inside.gguf", "sub/tiny-Q8_0.gguf", "tiny-Q4_0.gguf");
        assertThat(inventory.models()).extracting(m -> m.header().quantTag()).containsExactly("Q4_0", "Q8_0", "Q4_0");
        // 23,968 header bytes + 1,326,788 tensor bytes of Q4_0.
        assertThat(inventory.models().get(2).fileSizeBytes()).isEqualTo(1_350_756);
        assertThat(inventory.models()).allSatisfy(m -> {
            assertThat(m.digestStatus()).isEqualTo(DigestStatus.COMPUTED);
            assertThat(m.sha256()).hasSize(64);
        });
        assertThat(inventory.problems()).extracting(InventoryProblem::relativePath, InventoryProblem::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("broken.gguf", "malformed_header"),
                        org.assertj.core.groups.Tuple.tuple("escape.gguf", "symlink_escapes_root"));

        String json = InventoryJson.toJson(GgufInventory.scan(root));
        assertThat(json).contains("\"quant_tag\" : \"Q8_0\"", "\"digest_status\" : \"missing\"",
                "\"parameter_count\" : 2230528", "\"head_count_kv\" : 4", "\"symlink_escapes_root\"");
    }

    @Test
    @DisplayName("digests over the policy's size limit are skipped by policy")
    void digestPolicy(@TempDir Path root) throws IOException {
        Files.write(root.resolve("a.gguf"), GgufReaderTest.complete("Q4_0"));
        Inventory inventory = GgufInventory.scan(root, new DigestPolicy(true, 1000));
        assertThat(inventory.models().get(0).digestStatus()).isEqualTo(DigestStatus.SKIPPED_BY_POLICY);
    }

    @Test
    @DisplayName("a file cut before the end of its tensor data is a truncated problem, not a model")
    void truncated(@TempDir Path root) throws IOException {
        byte[] whole = GgufReaderTest.complete("Q4_K_M");
        Files.write(root.resolve("whole.gguf"), whole);
        Files.write(root.resolve("cut.gguf"), java.util.Arrays.copyOf(whole, whole.length - 1));
        Files.write(root.resolve("header-only.gguf"), GgufReaderTest.bytes("Q4_K_M"));

        Inventory inventory = GgufInventory.scan(root);

        assertThat(inventory.models()).extracting(ModelFile::relativePath).containsExactly("whole.gguf");
        assertThat(inventory.problems()).extracting(InventoryProblem::relativePath, InventoryProblem::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cut.gguf", "truncated"),
                        org.assertj.core.groups.Tuple.tuple("header-only.gguf", "truncated"));
        assertThat(inventory.problems().get(0).message()).isEqualTo("the file is 1418339 bytes but its header describes"
                + " tensor data up to byte 1418340 (offset 23968 + 1394372 tensor bytes): 1 bytes are missing, e.g. an"
                + " interrupted download; download it again");
    }

    @Test
    @DisplayName("digests report progress from 0 to the file's size")
    void digestProgress(@TempDir Path root) throws IOException {
        Files.write(root.resolve("a.gguf"), GgufReaderTest.complete("Q4_0"));
        java.util.List<String> calls = new java.util.ArrayList<>();

        GgufInventory.scan(root, DigestPolicy.ALL, (path, done, total) -> calls.add(path + " " + done + "/" + total));

        assertThat(calls).containsExactly("a.gguf 0/1350756", "a.gguf 1350756/1350756");
    }

    @Test
    @DisplayName("a file of a whole number of progress steps is reported whole once, not twice")
    void digestProgressAtAStepBoundary(@TempDir Path root) throws IOException {
        Path file = Files.write(root.resolve("a.gguf"), GgufReaderTest.complete("Q4_0"));
        long size = GgufInventory.PROGRESS_BYTES;
        try (java.io.RandomAccessFile padded = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            // Zero padding after the tensor data: still a whole model, and sparse on disk.
            padded.setLength(size);
        }
        java.util.List<String> calls = new java.util.ArrayList<>();

        GgufInventory.scan(root, DigestPolicy.ALL, (path, done, total) -> calls.add(path + " " + done + "/" + total));

        assertThat(calls).containsExactly("a.gguf 0/" + size, "a.gguf " + size + "/" + size);
    }
}
