package org.devicegrant.device;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The default {@link HttpTransport}: the JDK's {@link HttpClient} with a connect timeout and a
 * per-request timeout, no redirects. Thread-safe.
 */
final class JdkHttpTransport implements HttpTransport {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final Duration requestTimeout;

    JdkHttpTransport(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    JdkHttpTransport() {
        this(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    @Override
    public HttpResult post(URI uri, Map<String, String> headers, String formBody) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(formBody, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + uri);
        }
        return new HttpResult(response.statusCode(), response.headers().map(), response.body());
    }

    @Override
    public String toString() {
        return "JdkHttpTransport[requestTimeout=" + requestTimeout + "]";
    }
}
