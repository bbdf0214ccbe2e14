package dev.orket.simulator.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A response as a recorded exchange holds it.
 *
 * @param status the HTTP status
 * @param reason the reason phrase
 * @param headers the headers in order, framing headers included
 * @param chunked whether the body was sent {@code Transfer-Encoding: chunked}
 * @param chunks the body's pieces: one per HTTP chunk when chunked, else one piece holding the whole body
 * @since 0.1
 */
public record RecordedResponse(int status, String reason, List<Map.Entry<String, String>> headers, boolean chunked,
        List<byte[]> chunks) {

    public RecordedResponse {
        Objects.requireNonNull(reason, "reason");
        headers = List.copyOf(headers);
        List<byte[]> copies = new ArrayList<>(chunks.size());
        for (byte[] chunk : chunks) {
            copies.add(chunk.clone());
        }
        chunks = List.copyOf(copies);
    }

    @Override
    public List<byte[]> chunks() {
        List<byte[]> copies = new ArrayList<>(chunks.size());
        for (byte[] chunk : chunks) {
            copies.add(chunk.clone());
        }
        return copies;
    }

    /** The body as a client sees it after de-chunking (what a {@code .body} file holds). */
    public byte[] body() {
        return DialectScripts.concat(chunks.toArray(new byte[0][]));
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

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof RecordedResponse)) {
            return false;
        }
        RecordedResponse that = (RecordedResponse) other;
        if (that.status != status || !that.reason.equals(reason) || !that.headers.equals(headers)
                || that.chunked != chunked || that.chunks.size() != chunks.size()) {
            return false;
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (!java.util.Arrays.equals(chunks.get(i), that.chunks.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = Objects.hash(status, reason, headers, chunked);
        for (byte[] chunk : chunks) {
            hash = 31 * hash + java.util.Arrays.hashCode(chunk);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "RecordedResponse[" + status + " " + reason + ", " + (chunked ? chunks.size() + " chunks" : "fixed body")
                + ", " + body().length + " body bytes]";
    }
}
