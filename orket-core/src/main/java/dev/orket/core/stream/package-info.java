/**
 * The one streaming HTTP transport every provider runs on: the JDK {@code HttpClient} over HTTP/1.1, one
 * definition of {@code RequestSent} (the request's last byte handed to the transport, after any connect, whose
 * time is measured apart as {@code client_connect_ms}), the whole-run deadline and the idle gap, bounded
 * buffers, cancellation, one classification of transport failures and HTTP statuses, the SSE and line framers
 * and the guarded recorder. A provider supplies only its request body and a {@link dev.orket.core.stream.ResponseDecoder}.
 */
@NullMarked
package dev.orket.core.stream;

import org.jspecify.annotations.NullMarked;
