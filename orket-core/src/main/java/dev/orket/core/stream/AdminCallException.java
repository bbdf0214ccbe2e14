package dev.orket.core.stream;

import dev.orket.api.FailureKind;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call outside a measured run got no complete answer: the connection failed, the whole exchange missed its
 * deadline, or the body passed its cap. The message names the endpoint and the bound; providers turn it into
 * their own exception.
 *
 * @since 0.2
 */
public final class AdminCallException extends Exception {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final @Nullable Integer httpStatus;

    public AdminCallException(FailureKind kind, String message, @Nullable Integer httpStatus) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.httpStatus = httpStatus;
    }

    /** What went wrong, in the canonical failure vocabulary. */
    public FailureKind kind() {
        return kind;
    }

    /** The HTTP status when headers arrived (a body over the cap), or null. */
    public @Nullable Integer httpStatus() {
        return httpStatus;
    }
}
