package org.devicegrant.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads an HTTP request body for a {@link DeviceGrantRequest}, as every adapter must: at most
 * {@link DeviceGrantRequest#MAX_BODY_BYTES} + 1 bytes, whatever {@code Content-Length} claims.
 * A body of up to {@code MAX_BODY_BYTES} bytes is read whole; of a longer one the grant gets one
 * byte too many, answers {@code invalid_request}, and the rest is never buffered.
 *
 * <pre>{@code
 * try (InputStream in = exchange.getRequestBody()) {
 *     request.body(RequestBody.read(in));
 * }
 * }</pre>
 */
public final class RequestBody {

    private RequestBody() {
    }

    /**
     * Reads until the end of the body or {@link DeviceGrantRequest#MAX_BODY_BYTES} + 1 bytes,
     * whichever comes first, blocking as the stream does. Leaves the stream open: the adapter
     * closes it as its HTTP stack asks (closing may discard the unread rest).
     *
     * @param body the request body stream
     * @return the bytes read, at most {@code MAX_BODY_BYTES + 1} of them
     * @throws IOException reading failed, e.g. the client went away
     */
    public static byte[] read(InputStream body) throws IOException {
        Objects.requireNonNull(body, "body");
        return body.readNBytes(DeviceGrantRequest.MAX_BODY_BYTES + 1);
    }
}
