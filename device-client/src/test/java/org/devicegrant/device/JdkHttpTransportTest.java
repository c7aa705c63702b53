package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The default transport against a real {@link HttpServer} on 127.0.0.1. */
class JdkHttpTransportTest {

    /** One request as the server saw it. */
    record Received(String method, String path, Map<String, List<String>> headers, Map<String, String> form) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A canned answer. */
    record Canned(int status, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Canned> answers = new ArrayDeque<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), form(body)));
        Canned canned;
        synchronized (answers) {
            canned = answers.poll();
        }
        if (canned == null) {
            canned = new Canned(500, "{\"error\":\"server_error\",\"error_description\":\"script ran out\"}");
        }
        byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(canned.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (!body.isEmpty()) {
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return form;
    }

    private void script(int status, String body) {
        synchronized (answers) {
            answers.add(new Canned(status, body));
        }
    }

    @Test
    @DisplayName("D01 D05 D21 O03: full flow over the default JDK transport: form POSTs, Basic auth, Accept JSON")
    void defaultTransportWhenFullFlowThenFormEncodedBasicAuthAndJson() throws Exception {
        script(200, "{\"device_code\":\"dc-0123456789\",\"user_code\":\"WDJB-MJHT\","
                + "\"verification_uri\":\"https://as.example/device\",\"expires_in\":600,\"interval\":5}");
        script(400, "{\"error\":\"authorization_pending\"}");
        script(200, "{\"access_token\":\"at-0123456789\",\"token_type\":\"Bearer\",\"expires_in\":60}");
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        RecordingSleeper sleeper = new RecordingSleeper(clock);
        DeviceFlowClient client = DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(base.resolve("/device_authorization"))
                .tokenEndpoint(base.resolve("/token"))
                .clientId("tv app")
                .clientSecret("s3cr:t&+")
                .scope("openid", "profile")
                .clock(clock)
                .sleeper(sleeper)
                .build();

        DeviceCodes authorization = client.start();
        TokenResult result = client.await(authorization, PollListener.none(), new CancellationToken());

        assertThat(authorization.userCode()).isEqualTo("WDJB-MJHT");
        assertThat(result).isEqualTo(new TokenResult.Success("at-0123456789", "Bearer", Duration.ofSeconds(60),
                null, null, Set.of()));
        assertThat(sleeper.seconds()).containsExactly(5L, 5L);
        // RFC 6749 §2.3.1: "The client identifier is encoded using the application/x-www-form-urlencoded
        // encoding algorithm ... and the encoded value is used as the username; the client password
        // is encoded using the same algorithm and used as the password."
        String basic = "Basic " + Base64.getEncoder().encodeToString("tv+app:s3cr%3At%26%2B".getBytes(StandardCharsets.UTF_8));
        assertThat(received).hasSize(3).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=UTF-8");
            assertThat(request.header("Accept")).isEqualTo("application/json");
            assertThat(request.header("Authorization")).isEqualTo(basic);
        });
        assertThat(received.get(0).path()).isEqualTo("/device_authorization");
        assertThat(received.get(0).form()).isEqualTo(Map.of("scope", "openid profile"));
        assertThat(received.get(2).path()).isEqualTo("/token");
        assertThat(received.get(2).form()).isEqualTo(Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:device_code", "device_code", "dc-0123456789"));
    }

    @Test
    void postWhenServerAnswersThenStatusHeadersAndBody() throws Exception {
        script(400, "{\"error\":\"slow_down\"}");

        HttpResult result = new JdkHttpTransport().post(base.resolve("/token"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "a=b%20c");

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.body()).isEqualTo("{\"error\":\"slow_down\"}");
        assertThat(result.firstHeader("content-type")).isEqualTo("application/json;charset=UTF-8");
        assertThat(result.firstHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(received.get(0).form()).isEqualTo(Map.of("a", "b c"));
    }

    @Test
    @DisplayName("D31: a refused connection is an IOException, which the client treats as no answer")
    void postWhenNothingListensThenIOException() {
        URI closed = base.resolve("/token");
        server.stop(0);

        assertThatThrownBy(() -> new JdkHttpTransport().post(closed, Map.of(), "")).isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName("D31: an answer slower than the request timeout is an HttpTimeoutException")
    void postWhenServerTooSlowThenHttpTimeoutException() {
        CountDownLatch release = new CountDownLatch(1);
        server.removeContext("/");
        server.createContext("/", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        JdkHttpTransport transport = new JdkHttpTransport(Duration.ofSeconds(5), Duration.ofMillis(100));

        try {
            assertThatThrownBy(() -> transport.post(base.resolve("/token"), Map.of(), ""))
                    .isInstanceOf(HttpTimeoutException.class);
        } finally {
            release.countDown();
        }
    }
}
