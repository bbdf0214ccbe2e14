/**
 * The llama.cpp provider: runs prompts against a {@code llama-server} through its native
 * {@code /completion} and OpenAI-compatible {@code /v1/chat/completions} endpoints, streaming and
 * not, and reports canonical wire events to Orket's recorder; reads the server's {@link
 * dev.orket.provider.llamacpp.ServerProps}; maps its ftype names to quant tags; and optionally
 * manages a {@code llama-server} process per quantization for lab sweeps. Selected by the provider
 * id {@code llamacpp}; the raw-to-canonical mapping is in {@code docs/providers/llamacpp.md}.
 */
@NullMarked
package dev.orket.provider.llamacpp;

import org.jspecify.annotations.NullMarked;
