/**
 * Implementation of the llama.cpp provider, not API: the byte-level SSE framer, the streaming JSON
 * readers of llama-server's events and bodies, request bodies, error classification and the HTTP
 * exchange with its timeouts. Anything here may change without notice.
 */
@NullMarked
package dev.orket.provider.llamacpp.internal;

import org.jspecify.annotations.NullMarked;
