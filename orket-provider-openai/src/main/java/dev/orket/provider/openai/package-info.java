/**
 * The OpenAI-compatible provider: runs prompts against any server that speaks OpenAI's
 * {@code /v1/completions} and {@code /v1/chat/completions} (vLLM, SGLang, TGI, LM Studio, llama.cpp's
 * {@code llama-server}), streaming and not, and reports canonical wire events to Orket's recorder, with the
 * server's token counts from {@code usage} and its timings where the server reports them (llama-server's
 * {@code timings}, vLLM's per-request {@code metrics}). Selected by the provider id {@code openai}; the
 * raw-to-canonical mapping is in {@code docs/providers/openai.md}.
 */
@NullMarked
package dev.orket.provider.openai;

import org.jspecify.annotations.NullMarked;
