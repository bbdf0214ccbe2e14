/**
 * Implementation of the OpenAI-compatible provider, not API: the streaming JSON reader of chunks, bodies and
 * errors, request bodies, the decoder the core's transport feeds, error classification and the readers of
 * {@code /v1/models} and llama-server's {@code /props}. Anything here may change without notice.
 */
@NullMarked
package dev.orket.provider.openai.internal;

import org.jspecify.annotations.NullMarked;
