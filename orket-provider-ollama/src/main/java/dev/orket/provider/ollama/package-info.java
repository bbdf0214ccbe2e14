/**
 * The Ollama provider: runs prompts through Ollama's native {@code /api/generate} and {@code /api/chat}
 * endpoints (NDJSON streaming and not) and reports what happened as canonical
 * {@link dev.orket.api.spi.WireEvent}s; also reads model facts from {@code /api/show}, VRAM residency
 * from {@code /api/ps}, and unloads models between quants. Select it with provider id {@code ollama};
 * the raw-to-canonical mapping is in {@code docs/providers/ollama.md}.
 */
@NullMarked
package dev.orket.provider.ollama;

import org.jspecify.annotations.NullMarked;
