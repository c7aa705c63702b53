package org.devicegrant.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.devicegrant.DeviceGrant;
import org.devicegrant.token.JwtTokenIssuer;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One tenant's public documents: RFC 8414 metadata and the public JWK set. The default tenant's
 * are at {@code /.well-known/oauth-authorization-server} and {@code /oauth2/jwks}; an
 * organisation's (issuer {@code /orgs/{org}}) at
 * {@code /.well-known/oauth-authorization-server/orgs/{org}} (RFC 8414 §3) and
 * {@code /orgs/{org}/oauth2/jwks}, routed by {@link DemoServer}. Immutable and thread-safe.
 *
 * <p><b>No OpenID configuration.</b> OpenID Connect Discovery 1.0 §3 requires an OpenID
 * Provider's configuration to name its {@code authorization_endpoint} and the
 * {@code response_types_supported} there, and to list RS256 among
 * {@code id_token_signing_alg_values_supported}. The demo serves the device grant alone: it has
 * no authorization endpoint, so no response type, and it signs ID tokens with ES256 only. A
 * document at {@code /.well-known/openid-configuration} would have to leave out required members
 * or name what does not exist, so the demo publishes none there (404, saying why). The RFC 8414
 * document carries what a device needs to check its ID tokens: {@code issuer}, {@code jwks_uri},
 * {@code id_token_signing_alg_values_supported} and {@code subject_types_supported}.
 *
 * <p><b>No response types.</b> RFC 8414 §2 lists {@code response_types_supported} as required,
 * but a server without an authorization endpoint supports no response type, and §3.2 says a
 * member with no values MUST be omitted: the document leaves it out, as it leaves out
 * {@code authorization_endpoint}, which §2 requires only of servers whose grant types use one.
 */
final class Discovery implements HttpHandler {

    static final String OAUTH_METADATA = "/.well-known/oauth-authorization-server";
    static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    static final String JWKS = "/oauth2/jwks";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] metadata;
    private final byte[] jwks;

    Discovery(URI issuer, DeviceGrant grant, JwtTokenIssuer tokens, Set<String> scopes) {
        this.metadata = json(metadata(issuer, grant, tokens, scopes));
        // public members only: JWKSet#toString(true) drops every private parameter
        this.jwks = tokens.publicJwkSet().toString(true).getBytes(StandardCharsets.UTF_8);
    }

    /** The metadata document: the host's own entries with {@link DeviceGrant#metadata()} merged in. */
    static Map<String, Object> metadata(URI issuer, DeviceGrant grant, JwtTokenIssuer tokens, Set<String> scopes) {
        Map<String, Object> doc = new LinkedHashMap<>();
        // RFC 8414 §3.3: issuer MUST be identical to the issuer the document was fetched for
        doc.put("issuer", issuer.toString());
        doc.put("jwks_uri", issuer + JWKS);
        doc.put("scopes_supported", List.copyOf(new TreeSet<>(scopes)));
        // the demo has no authorization endpoint: no response types (left out below)
        doc.put("response_types_supported", List.of());
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of(tokens.algorithm().getName()));
        grant.metadata().forEach((name, value) -> doc.merge(name, value, Discovery::mergeValue));
        // RFC 8414 §3.2: claims with zero elements MUST be omitted
        doc.values().removeIf(value -> value instanceof Collection<?> c && c.isEmpty());
        return doc;
    }

    private static Object mergeValue(Object mine, Object theirs) {
        if (mine instanceof Collection<?> a && theirs instanceof Collection<?> b) {
            Set<Object> merged = new LinkedHashSet<>(a);
            merged.addAll(b);
            return new ArrayList<>(merged);
        }
        return theirs;
    }

    /** Serves the default tenant's paths; anything else is 404. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        switch (exchange.getRequestURI().getPath()) {
            case OAUTH_METADATA -> sendMetadata(exchange);
            case OPENID_CONFIGURATION -> sendNoOpenIdConfiguration(exchange);
            case JWKS -> sendJwks(exchange);
            default -> Pages.message(exchange, 404, "Page not found", "There is no page at this address.");
        }
    }

    /** 404 at the OpenID configuration's address, saying why there is none (see the class comment). */
    static void sendNoOpenIdConfiguration(HttpExchange exchange) throws IOException {
        Pages.message(exchange, 404, "No OpenID configuration", "This server offers the device grant only: it has "
                + "no authorization endpoint, so it publishes no OpenID Provider configuration. Its authorization "
                + "server metadata (RFC 8414) is at " + OAUTH_METADATA + ", followed by the issuer's path.");
    }

    /** Answers with the metadata document (GET, HEAD) or 405. */
    void sendMetadata(HttpExchange exchange) throws IOException {
        send(exchange, "application/json", metadata);
    }

    /** Answers with the public JWK set (GET, HEAD) or 405. */
    void sendJwks(HttpExchange exchange) throws IOException {
        send(exchange, "application/jwk-set+json", jwks);
    }

    private static void send(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            Pages.send(exchange, 405, "text/plain; charset=utf-8", new byte[0]);
        } else {
            Pages.send(exchange, 200, contentType, body);
        }
    }

    private static byte[] json(Map<String, Object> doc) {
        try {
            return JSON.writeValueAsBytes(Objects.requireNonNull(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata is not JSON-serialisable", e);
        }
    }
}
