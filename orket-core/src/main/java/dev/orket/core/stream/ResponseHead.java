package dev.orket.core.stream;

import java.util.Objects;

/**
 * The status line and the headers of a response that a decoder needs.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type} header, or empty when absent; never null
 * @param endpoint the method and path the request went to, e.g. {@code POST /completion}, for messages
 * @since 0.2
 */
public record ResponseHead(int status, String contentType, String endpoint) {

    public ResponseHead {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** Whether the status is 2xx. */
    public boolean success() {
        return status >= 200 && status < 300;
    }

    /** Whether the content type starts with the given media type, ignoring case and parameters. */
    public boolean isContentType(String mediaType) {
        return contentType.regionMatches(true, 0, mediaType, 0, mediaType.length());
    }

    /** The content type as a message names it: the header, or {@code no content type} when absent; never null. */
    public String describedContentType() {
        return contentType.isEmpty() ? "no content type" : contentType;
    }
}
