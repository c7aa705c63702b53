package org.devicegrant.device;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends a Nimbus {@link HTTPRequest} through an {@link HttpTransport} and turns the answer into
 * a Nimbus {@link HTTPResponse}, so that both wire directions stay Nimbus types. Thread-safe if
 * the transport is.
 */
final class OAuthExchange {

    private final HttpTransport transport;

    OAuthExchange(HttpTransport transport) {
        this.transport = transport;
    }

    HTTPResponse send(HTTPRequest request) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaderMap().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        headers.put("Accept", "application/json");
        HttpResult result = Objects.requireNonNull(
                transport.post(request.getURI(), headers, request.getBody()), "the HttpTransport returned null");
        HTTPResponse response = new HTTPResponse(result.status());
        for (Map.Entry<String, List<String>> header : result.headers().entrySet()) {
            if (!header.getValue().isEmpty()) {
                response.setHeader(header.getKey(), header.getValue().toArray(String[]::new));
            }
        }
        response.setBody(result.body());
        return response;
    }

    @Override
    public String toString() {
        return "OAuthExchange[" + transport + "]";
    }
}
