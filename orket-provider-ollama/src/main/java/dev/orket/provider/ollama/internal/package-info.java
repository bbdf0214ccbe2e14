/**
 * Implementation of the Ollama provider, not API: byte-level NDJSON line framing, the streaming JSON
 * line parser, request bodies, error classification, run-quality rules and the HTTP exchange.
 */
@NullMarked
package dev.orket.provider.ollama.internal;

import org.jspecify.annotations.NullMarked;
