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
        Files.write(root.resolve("sub/tiny-Q8_0.gguf"), GgufReaderTest.bytes("Q8_0"));
        Files.write(root.resolve("tiny-Q4_0.gguf"), GgufReaderTest.bytes("Q4_0"));
        Files.writeString(root.resolve("notes.txt"), "ignored");
        Files.writeString(root.resolve("broken.gguf"), "GGUF");
        Path outside = Files.write(dir.resolve("outside.gguf"), GgufReaderTest.bytes("Q2_K"));
        Files.createSymbolicLink(root.resolve("escape.gguf"), outside);
        Files.createSymbolicLink(root.resolve("inside.gguf"), root.resolve("tiny-Q4_0.gguf"));

        Inventory inventory = GgufInventory.scan(root, DigestPolicy.ALL);

        assertThat(inventory.models()).extracting(ModelFile::relativePath)
                .containsExactly("inside.gguf", "sub/tiny-Q8_0.gguf", "tiny-Q4_0.gguf");
        assertThat(inventory.models()).extracting(m -> m.header().quantTag()).containsExactly("Q4_0", "Q8_0", "Q4_0");
        assertThat(inventory.models().get(2).fileSizeBytes()).isEqualTo(23_968);
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
        Files.write(root.resolve("a.gguf"), GgufReaderTest.bytes("Q4_0"));
        Inventory inventory = GgufInventory.scan(root, new DigestPolicy(true, 1000));
        assertThat(inventory.models().get(0).digestStatus()).isEqualTo(DigestStatus.SKIPPED_BY_POLICY);
    }
}
