package dev.orket.simulator.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request as the scripted server received it, or as a recorded exchange holds it.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param target the request target as sent: path and query, e.g. {@code /props?model=x}
 * @param headers the headers in order, names as sent
 * @param body the body bytes (de-chunked), empty when there was none
 * @since 0.1
 */
public record RecordedRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {

    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        headers = List.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The path without the query. */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The value of a query parameter, URL-decoded, or null. */
    public @Nullable String queryParameter(String parameterName) {
        int query = target.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : target.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (key.equals(parameterName)) {
                // Decoded as a real server decodes it: tiny-llama%3AQ8_0 is tiny-llama:Q8_0.
                return equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The first value of a header (case-insensitive), or null. */
    public @Nullable String header(String headerName) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(headerName)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** The body decoded as UTF-8 (malformed bytes replaced). */
    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The value of a top-level JSON string, number or boolean field of the body, as text, or null. */
    public @Nullable String jsonField(String fieldName) {
        return JsonFields.topLevel(body, fieldName);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedRequest && ((RecordedRequest) other).method.equals(method)
                && ((RecordedRequest) other).target.equals(target) && ((RecordedRequest) other).headers.equals(headers)
                && java.util.Arrays.equals(((RecordedRequest) other).body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, target, headers, java.util.Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "RecordedRequest[" + method + " " + target + ", " + body.length + " body bytes]";
    }
}
