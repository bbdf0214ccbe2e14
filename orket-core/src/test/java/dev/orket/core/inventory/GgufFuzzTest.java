package dev.orket.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class GgufFuzzTest {

    private static final byte[] HEADER = load();

    private static byte[] load() {
        try {
            return GgufReaderTest.bytes("Q4_K_M");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<List<Integer>> flips() {
        return Arbitraries.integers().between(0, HEADER.length * 8 - 1).list().ofMinSize(1).ofMaxSize(8);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static void readBounded(byte[] bytes) {
        long before = allocatedBytes();
        try {
            GgufReader.read("fuzz.gguf", new ByteArrayChannel(bytes));
        } catch (GgufFormatException expected) {
            assertThat(expected.offset()).isBetween(0L, (long) bytes.length);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(allocatedBytes() - before).as("bytes allocated reading a %d-byte header", bytes.length)
                .isLessThan(8L << 20);
    }

    @Property(tries = 300)
    @Label("random bit flips never escape as anything but GgufFormatException nor allocate without bound")
    void bitFlips(@ForAll("flips") List<Integer> bits) {
        byte[] bytes = HEADER.clone();
        for (int bit : bits) {
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        readBounded(bytes);
    }

    @Property(tries = 200)
    @Label("any truncation is rejected with GgufFormatException")
    void truncation(@ForAll @IntRange(min = 0, max = 23_967) int length) {
        readBounded(Arrays.copyOf(HEADER, length));
    }

    @Property(tries = 200)
    @Label("random 8-byte overwrites (huge counts and lengths) are rejected without large allocation")
    void overwrites(@ForAll @IntRange(min = 0, max = 23_960) int at, @ForAll long value) {
        byte[] bytes = HEADER.clone();
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(at, value);
        readBounded(bytes);
    }
}
