package org.devicegrant.examples;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.storage.tck.MutableClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A demo server on an ephemeral port with a {@link MutableClock}, plus a browser (cookies, no
 * automatic redirects, every page body kept) and a device (plain JSON client). One per test.
 */
final class DemoHttp implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HIDDEN = Pattern.compile(
            "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    final MutableClock clock = new MutableClock(START);
    final DemoServer server;
    final String base;

    DemoHttp() {
        try {
            this.server = DemoServer.start(0, clock, seeded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.base = "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    Browser browser() {
        return new Browser();
    }

    /** A browser: keeps its cookies and every page it saw. */
    final class Browser {
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        final List<String> pagesSeen = new ArrayList<>();

        HttpResponse<String> get(String pathAndQuery) {
            return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
        }

        HttpResponse<String> post(String path, String... nameValuePairs) {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(nameValuePairs))));
        }

        HttpResponse<String> send(HttpRequest.Builder request) {
            HttpResponse<String> response = DemoHttp.send(http, request.timeout(Duration.ofSeconds(10)).build());
            pagesSeen.add(response.body());
            return response;
        }

        /** The CSRF token of the last page that had a form. */
        String csrf(HttpResponse<String> page) {
            return hidden(page.body(), VerificationPages.CSRF);
        }

        /** Enters a user code the way a user does who typed it; returns the POST's response. */
        HttpResponse<String> enterCode(String userCode) {
            return enterCode("/device", userCode);
        }

        /** Enters a user code on the verification page at {@code pages} (e.g. {@code /orgs/acme/device}). */
        HttpResponse<String> enterCode(String pages, String userCode) {
            HttpResponse<String> entry = get(pages);
            return post(pages, "csrf", csrf(entry), "user_code", userCode);
        }

        /** Signs in through the login form. */
        HttpResponse<String> signIn(String username, String password) {
            return signIn("/device", username, password);
        }

        /** Signs in through the login form of the pages at {@code pages}. */
        HttpResponse<String> signIn(String pages, String username, String password) {
            HttpResponse<String> login = get(pages + "/login");
            return post(pages + "/login", "csrf", csrf(login), "username", username, "password", password);
        }

        /**
         * Enters the code, signs in and approves every requested scope on the pages at {@code pages};
         * returns the final page, which must be "Device connected".
         */
        HttpResponse<String> approve(String pages, String userCode, String username) {
            HttpResponse<String> entered = enterCode(pages, userCode);
            if (entered.statusCode() != 303) {
                throw new AssertionError("code not accepted: " + entered.statusCode() + "\n" + entered.body());
            }
            signIn(pages, username, username);
            HttpResponse<String> consent = get(pages + "/consent");
            List<String> form = new ArrayList<>(List.of("csrf", csrf(consent),
                    "user_code", hidden(consent.body(), "user_code"), "decision", "approve"));
            Matcher scopes = Pattern.compile("name=\"scope\" value=\"([^\"]+)\"").matcher(consent.body());
            while (scopes.find()) {
                form.add("scope");
                form.add(scopes.group(1));
            }
            HttpResponse<String> done = post(pages + "/consent", form.toArray(String[]::new));
            if (done.statusCode() != 200 || !done.body().contains("Device connected")) {
                throw new AssertionError("approval failed: " + done.statusCode() + "\n" + done.body());
            }
            return done;
        }
    }

    // ---- the device's side ----

    /** Starts a device authorization for the public demo client; returns the JSON response. */
    Map<String, Object> authorize(String scope) {
        HttpResponse<String> response = devicePost(DemoServer.DEVICE_AUTHORIZATION_PATH,
                "client_id", DemoServer.PUBLIC_CLIENT, "scope", scope);
        if (response.statusCode() != 200) {
            throw new AssertionError("device authorization failed: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    /** Starts a device authorization at {@code path} with these form parameters; the response must be 200. */
    Map<String, Object> authorizeAt(String path, String... nameValuePairs) {
        HttpResponse<String> response = devicePost(path, nameValuePairs);
        if (response.statusCode() != 200) {
            throw new AssertionError("device authorization failed: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    /** One poll of the token endpoint by the public client. */
    HttpResponse<String> poll(String deviceCode) {
        return poll(DemoServer.TOKEN_PATH, deviceCode);
    }

    /** One poll of the token endpoint at {@code path} by the public client. */
    HttpResponse<String> poll(String path, String deviceCode) {
        return devicePost(path, "grant_type", DEVICE_GRANT, "device_code", deviceCode,
                "client_id", DemoServer.PUBLIC_CLIENT);
    }

    /** A refresh (RFC 6749 §6) at the token endpoint {@code path} by the public client. */
    HttpResponse<String> refresh(String path, String refreshToken) {
        return devicePost(path, "grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", DemoServer.PUBLIC_CLIENT);
    }

    /** Introspection (RFC 7662) at {@code path} by demo-confidential with HTTP Basic, as a resource server: the 200 response. */
    Map<String, Object> introspect(String path, String token) {
        String credentials = java.util.Base64.getEncoder().encodeToString((DemoServer.CONFIDENTIAL_CLIENT + ":"
                + DemoServer.CONFIDENTIAL_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = rawPost(path, "application/x-www-form-urlencoded", form("token", token),
                "Authorization", "Basic " + credentials);
        if (response.statusCode() != 200) {
            throw new AssertionError("introspection failed: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    HttpResponse<String> devicePost(String path, String... nameValuePairs) {
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(nameValuePairs))).build());
    }

    /** A POST with any content type and headers (name, value, name, value...). */
    HttpResponse<String> rawPost(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(HttpClient.newHttpClient(), request.build());
    }

    /** A device authorization by a confidential client with HTTP Basic (RFC 6749 §2.3.1). */
    HttpResponse<String> devicePostWithBasic(String clientId, String secret) {
        String credentials = java.util.Base64.getEncoder().encodeToString(
                (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
                        URI.create(base + DemoServer.DEVICE_AUTHORIZATION_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.ofString(form("scope", "openid"))).build());
    }

    HttpResponse<String> getJson(String path) {
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    // ---- parsing ----

    static String hidden(String html, String name) {
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no hidden input " + name + " in page:\n" + html);
    }

    static Map<String, Object> json(String body) {
        try {
            return JSON.readValue(body, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    static String form(String... nameValuePairs) {
        return DeviceGrantRequest.formBody(nameValuePairs);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SecureRandom seeded() {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(7);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
