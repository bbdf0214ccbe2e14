package dev.orket.simulator.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted HTTP response: a status, headers, and steps at exact offsets from the request's
 * arrival. The server writes {@code Content-Length} or {@code Transfer-Encoding: chunked} itself from
 * the {@link Framing}, and always {@code Connection: close}.
 *
 * @since 0.1
 */
public final class Script {

    /** How the body is delimited. */
    public enum Framing {
        /** {@code Transfer-Encoding: chunked}, one HTTP chunk per {@link ScriptStep.Data} step. */
        CHUNKED,
        /** {@code Content-Length} = the sum of every data step's bytes. */
        CONTENT_LENGTH,
        /** No length: the body ends when the server closes the connection. */
        UNTIL_CLOSE
    }

    private final String name;
    private final int status;
    private final String reason;
    private final List<Map.Entry<String, String>> headers;
    private final Framing framing;
    private final List<ScriptStep> steps;
    private final @org.jspecify.annotations.Nullable Long declaredContentLength;

    private Script(Builder builder) {
        this.name = builder.name;
        this.status = builder.status;
        this.reason = builder.reason;
        this.headers = List.copyOf(builder.headers);
        this.framing = builder.framing;
        this.steps = List.copyOf(builder.steps);
        this.declaredContentLength = builder.declaredContentLength;
        validate();
    }

    /** A builder for a response with the given status; framing starts as {@link Framing#CONTENT_LENGTH}. */
    public static Builder builder(int status) {
        return new Builder(status);
    }

    /**
     * A whole response sent at one offset: head and body at {@code at}, then the end, which awaits
     * {@code await}.
     */
    public static Script fixed(int status, String contentType, byte[] body, Duration at, Await await) {
        return builder(status).header("Content-Type", contentType).head(at, Await.NOTHING).data(at, body, Await.NOTHING)
                .end(at, await).build();
    }

    /** A JSON response at offset zero that awaits nothing: for health, props and model listings. */
    public static Script json(int status, String json) {
        return fixed(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), Duration.ZERO,
                Await.NOTHING);
    }

    /** A name for logs and failure messages, never null. */
    public String name() {
        return name;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** The headers in order, without framing headers. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The first value of a header (case-insensitive), or null. */
    public @org.jspecify.annotations.Nullable String header(String headerName) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(headerName)) {
                return header.getValue();
            }
        }
        return null;
    }

    public Framing framing() {
        return framing;
    }

    public List<ScriptStep> steps() {
        return steps;
    }

    /** The {@code Content-Length} the head declares: the override when set, else the body's length. */
    public long contentLength() {
        return declaredContentLength != null ? declaredContentLength : body().length;
    }

    /** The offset of the last step: when the response is over. */
    public Duration duration() {
        return steps.isEmpty() ? Duration.ZERO : steps.get(steps.size() - 1).at();
    }

    /** The body as the client receives it after de-chunking: every data step's bytes in order. */
    public byte[] body() {
        int length = 0;
        for (ScriptStep step : steps) {
            if (step instanceof ScriptStep.Data) {
                length += ((ScriptStep.Data) step).length();
            }
        }
        byte[] body = new byte[length];
        int position = 0;
        for (ScriptStep step : steps) {
            if (step instanceof ScriptStep.Data) {
                byte[] bytes = ((ScriptStep.Data) step).unsafeBytes();
                System.arraycopy(bytes, 0, body, position, bytes.length);
                position += bytes.length;
            }
        }
        return body;
    }

    /** A copy of this script under another name. */
    public Script named(String newName) {
        Builder builder = toBuilder();
        builder.name = newName;
        return builder.build();
    }

    /** A builder holding this script's values. */
    public Builder toBuilder() {
        Builder builder = new Builder(status);
        builder.name = name;
        builder.reason = reason;
        builder.headers.addAll(headers);
        builder.framing = framing;
        builder.steps.addAll(steps);
        builder.declaredContentLength = declaredContentLength;
        return builder;
    }

    private void validate() {
        Duration previous = Duration.ZERO;
        boolean headSent = false;
        boolean ended = false;
        for (ScriptStep step : steps) {
            if (ended) {
                throw new IllegalArgumentException("script '" + name + "' has a step after its end: " + step);
            }
            if (step.at().compareTo(previous) < 0) {
                throw new IllegalArgumentException("script '" + name + "' steps must be in time order but " + step
                        + " comes after " + previous);
            }
            previous = step.at();
            if (step instanceof ScriptStep.Head) {
                if (headSent) {
                    throw new IllegalArgumentException("script '" + name + "' sends its head twice");
                }
                headSent = true;
            } else if ((step instanceof ScriptStep.Data || step instanceof ScriptStep.Drip) && !headSent) {
                throw new IllegalArgumentException("script '" + name + "' sends data before its head");
            } else if (step instanceof ScriptStep.End || step instanceof ScriptStep.Disconnect) {
                ended = true;
            }
        }
    }

    @Override
    public String toString() {
        return "Script[" + name + ", " + status + ", " + framing + ", " + steps.size() + " steps, " + duration() + "]";
    }

    /** Builds a {@link Script}; steps are added in time order. */
    public static final class Builder {
        private String name = "script";
        private final int status;
        private String reason;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private Framing framing = Framing.CONTENT_LENGTH;
        private final List<ScriptStep> steps = new ArrayList<>();
        private @org.jspecify.annotations.Nullable Long declaredContentLength;

        private Builder(int status) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be in [100, 599] but was " + status);
            }
            this.status = status;
            this.reason = HttpStatus.reasonPhrase(status);
        }

        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        public Builder reason(String value) {
            this.reason = Objects.requireNonNull(value, "reason");
            return this;
        }

        /** Adds a header; {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection} are ignored (the server writes them). */
        public Builder header(String headerName, String value) {
            headers.add(new AbstractMap.SimpleImmutableEntry<>(headerName, value));
            return this;
        }

        public Builder framing(Framing value) {
            this.framing = Objects.requireNonNull(value, "framing");
            return this;
        }

        /** Declares a {@code Content-Length} other than the body's, e.g. for a body cut short by a disconnect. */
        public Builder declaredContentLength(long value) {
            this.declaredContentLength = value;
            return this;
        }

        /** Chunked framing. */
        public Builder chunked() {
            return framing(Framing.CHUNKED);
        }

        public Builder head(Duration at, Await await) {
            steps.add(new ScriptStep.Head(at, await));
            return this;
        }

        public Builder data(Duration at, byte[] bytes, Await await) {
            steps.add(new ScriptStep.Data(at, bytes, await));
            return this;
        }

        public Builder data(Duration at, String utf8, Await await) {
            return data(at, utf8.getBytes(StandardCharsets.UTF_8), await);
        }

        /** Adds a {@link ScriptStep.Raw}: bytes written exactly as given, outside the framing. */
        public Builder raw(Duration at, byte[] bytes, Await await) {
            steps.add(new ScriptStep.Raw(at, bytes, await));
            return this;
        }

        public Builder stall(Duration at, Duration length) {
            steps.add(new ScriptStep.Stall(at, length));
            return this;
        }

        /** Adds a {@link ScriptStep.Drip}: the bytes every {@code every} of real time for up to {@code length}. */
        public Builder drip(Duration at, byte[] bytes, Duration every, Duration length) {
            steps.add(new ScriptStep.Drip(at, bytes, every, length));
            return this;
        }

        public Builder disconnect(Duration at, Await await) {
            steps.add(new ScriptStep.Disconnect(at, await));
            return this;
        }

        public Builder end(Duration at, Await await) {
            steps.add(new ScriptStep.End(at, await));
            return this;
        }

        public Script build() {
            return new Script(this);
        }
    }
}
