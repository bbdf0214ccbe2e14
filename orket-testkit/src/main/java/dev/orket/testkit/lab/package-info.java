/**
 * The {@code lab-cpu} lane's JUnit support: finds the real llama-server and GGUF files through
 * {@code ORKET_LLAMA_SERVER} and {@code ORKET_GGUF_DIR}, skips an integration test with one line naming what is
 * missing, and prints each test's totals so a CI log shows that the lane ran.
 */
@NullMarked
package dev.orket.testkit.lab;

import org.jspecify.annotations.NullMarked;
