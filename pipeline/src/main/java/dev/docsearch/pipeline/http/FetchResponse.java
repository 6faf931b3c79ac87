package dev.docsearch.pipeline.http;

import java.net.URI;
import java.util.Objects;

/**
 * The final answer to a GET after redirects and retries: a success (2xx, with the body), a
 * {@code 304 Not Modified}, or a client error (4xx other than 429, no body) the caller decides on.
 *
 * @param requested   the URI asked for
 * @param finalUri    the URI that answered (differs from {@code requested} after redirects)
 * @param status      the HTTP status
 * @param body        the body for 2xx (decoded from gzip when the server sent it so); empty otherwise
 * @param contentType the {@code Content-Type} header, or null
 * @param validators  the response's {@code ETag}/{@code Last-Modified}
 * @param attempts    requests made for the final URI (1 when no retry was needed)
 */
public record FetchResponse(URI requested, URI finalUri, int status, byte[] body, String contentType,
                            Validators validators, int attempts) {

    public FetchResponse {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(finalUri, "finalUri");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(validators, "validators");
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public boolean isNotModified() {
        return status == 304;
    }

    /** The charset named by the Content-Type header, or null when it names none. */
    public String charset() {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                return p.substring(8).replace("\"", "").strip();
            }
        }
        return null;
    }
}
