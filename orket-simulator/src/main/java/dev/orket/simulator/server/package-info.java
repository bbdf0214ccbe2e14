/**
 * A loopback HTTP/1.1 server that plays scripted responses with exact chunk framing, exact timing on a
 * {@link dev.orket.simulator.VirtualClock} (lock-step with the client's recorder) and injected faults;
 * wire dialects of llama.cpp and Ollama, open to dialects of other servers ({@link dev.orket.simulator.server.ServerDialect});
 * a parser for recorded {@code .http} exchanges; and a simulated family of quantizations of one model. Needs neither
 * JUnit nor AssertJ.
 */
@NullMarked
package dev.orket.simulator.server;

import org.jspecify.annotations.NullMarked;
