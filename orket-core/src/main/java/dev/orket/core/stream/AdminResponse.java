package dev.orket.core.stream;

import java.util.Objects;

/**
 * The answer to a call outside a measured run ({@link HttpTransport#get}, {@link HttpTransport#post}), read whole
 * within the transport's admin deadline and body cap.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type} header, or empty; never null
 * @param body the body, never null
 * @since 0.2
 */
public record AdminResponse(int status, String contentType, byte[] body) {

    public AdminResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** Whether the status is 2xx. */
    public boolean success() {
        return status >= 200 && status < 300;
    }
}
