package org.devicegrant.examples;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryTest {

    private final DemoHttp demo = new DemoHttp();

    @AfterEach
    void stop() {
        demo.close();
    }

    @SuppressWarnings("unchecked")
    @Test
    @DisplayName("M05 M06 M07 D32: the metadata document")
    void metadataWhenFetchedThenIssuerIdenticalAndDeviceGrantAdvertised() {
        HttpResponse<String> response = demo.getJson(Discovery.OAUTH_METADATA);

        // RFC 8414 §3 (M05): 200 and application/json
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        Map<String, Object> doc = DemoHttp.json(response.body());
        String issuer = demo.server.issuer().toString();
        // RFC 8414 §3.3 (M07): the issuer MUST be identical to the one the document was fetched for
        assertThat(doc).containsEntry("issuer", issuer)
                // RFC 8628 §4 (D32, M04) and C07: the device authorization endpoint in both documents
                .containsEntry("device_authorization_endpoint", issuer + "/oauth2/device_authorization")
                .containsEntry("token_endpoint", issuer + "/oauth2/token")
                .containsEntry("jwks_uri", issuer + "/oauth2/jwks");
        // M02, M03: the grant type and the auth methods listed explicitly
        assertThat((List<Object>) doc.get("grant_types_supported")).contains("urn:ietf:params:oauth:grant-type:device_code");
        assertThat((List<Object>) doc.get("token_endpoint_auth_methods_supported")).contains("none", "client_secret_basic");
        assertThat((List<Object>) doc.get("scopes_supported"))
                .containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
        // RFC 8414 §3.2 (M06): claims with zero elements MUST be omitted
        assertThat(doc).doesNotContainKey("response_types_supported");
        assertThat(doc.values()).noneMatch(v -> v instanceof Collection<?> c && c.isEmpty());
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {Discovery.OAUTH_METADATA, "/.well-known/oauth-authorization-server/orgs/acme",
            "/.well-known/oauth-authorization-server/orgs/globex"})
    @DisplayName("M03 M06: each metadata document passes a strict parser and the conditional requirements of RFC 8414 §2")
    void metadataWhenParsedStrictlyThenValidAndEveryConditionalMemberPresent(String path) throws Exception {
        String body = demo.getJson(path).body();
        Map<String, Object> doc = DemoHttp.json(body);

        AuthorizationServerMetadata parsed = AuthorizationServerMetadata.parse(body);
        assertThat(parsed.getIssuer().getValue()).isEqualTo(doc.get("issuer"));
        assertThat(parsed.getDeviceAuthorizationEndpointURI()).isNotNull();
        // RFC 8414 §2: grant_types_supported defaults to authorization_code and implicit, so it is explicit
        List<Object> grantTypes = (List<Object>) doc.get("grant_types_supported");
        assertThat(grantTypes).isNotEmpty().doesNotContain("authorization_code", "implicit");
        // RFC 8414 §2: authorization_endpoint is "REQUIRED unless no grant types are supported that use
        // the authorization endpoint"; with none of them there is no response type either (§3.2: omitted)
        assertThat(doc).doesNotContainKeys("authorization_endpoint", "response_types_supported")
                .containsKey("token_endpoint");
        for (String endpoint : List.of("token_endpoint", "revocation_endpoint", "introspection_endpoint")) {
            List<Object> methods = (List<Object>) doc.getOrDefault(endpoint + "_auth_methods_supported", List.of());
            if (methods.contains("private_key_jwt") || methods.contains("client_secret_jwt")) {
                // RFC 8414 §2: the signing algorithms MUST be present with a JWT method; "none" MUST NOT be used
                assertThat((List<Object>) doc.get(endpoint + "_auth_signing_alg_values_supported")).as(endpoint)
                        .isNotEmpty().doesNotContain("none");
            }
        }
        assertThat((List<Object>) doc.get("token_endpoint_auth_methods_supported")).contains("private_key_jwt");
        assertThat(parsed.getTokenEndpointJWSAlgs()).isNotEmpty();
        assertThat(parsed.getRevocationEndpointJWSAlgs()).isNotEmpty();
        assertThat(parsed.getIntrospectionEndpointJWSAlgs()).isNotEmpty();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {Discovery.OPENID_CONFIGURATION, "/orgs/acme/.well-known/openid-configuration"})
    @DisplayName("C07: no OpenID configuration, since the demo lacks members OpenID Connect Discovery 1.0 §3 requires")
    void openIdConfigurationWhenFetchedThenNotPublishedBecauseItCouldNotBeComplete(String path) {
        HttpResponse<String> response = demo.browser().get(path);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no authorization endpoint");
        // what the document would be: the RFC 8414 one lacks what OpenID Connect Discovery 1.0 §3
        // requires of a provider, so it is not published under the OpenID name
        Map<String, Object> metadata = DemoHttp.json(demo.getJson(Discovery.OAUTH_METADATA).body());
        assertThat(metadata).doesNotContainKeys("authorization_endpoint", "response_types_supported");
        assertThat((List<Object>) metadata.get("id_token_signing_alg_values_supported")).doesNotContain("RS256");
    }

    @Test
    @DisplayName("JWKS: public members only, and it verifies the tokens the demo issues")
    void jwksWhenFetchedThenNoPrivateMembersAndVerifiesAccessToken() throws Exception {
        HttpResponse<String> response = demo.getJson(Discovery.JWKS);
        Map<String, Object> codes = demo.authorize("openid");
        demo.server.grant().verification().approve(DemoServer.TENANT, (String) codes.get("user_code"), "alice",
                Set.of("openid"), Map.of(), null);
        demo.clock.advance(Duration.ofSeconds(5));
        Map<String, Object> tokens = DemoHttp.json(demo.poll((String) codes.get("device_code")).body());

        assertThat(response.statusCode()).isEqualTo(200);
        JWKSet jwks = JWKSet.parse(response.body());
        assertThat(jwks.getKeys()).hasSize(1);
        JWK key = jwks.getKeys().get(0);
        assertThat(key.isPrivate()).isFalse();
        assertThat(key).isInstanceOf(ECKey.class);
        assertThat(((ECKey) key).getCurve().getName()).isEqualTo("P-256");
        for (Object member : (List<?>) DemoHttp.json(response.body()).get("keys")) {
            assertThat(List.<Object>copyOf(((Map<?, ?>) member).keySet())).doesNotContainAnyElementsOf(List.<Object>of("d", "p", "q", "dp", "dq", "qi", "k"));
        }
        SignedJWT accessToken = SignedJWT.parse((String) tokens.get("access_token"));
        assertThat(accessToken.getHeader().getKeyID()).isEqualTo(key.getKeyID());
        assertThat(accessToken.verify(new ECDSAVerifier((ECKey) key))).isTrue();
        assertThat(accessToken.getJWTClaimsSet().getIssuer()).isEqualTo(demo.server.issuer().toString());
    }

    @Test
    void discoveryWhenPostedThenMethodNotAllowed() {
        HttpResponse<String> response = demo.devicePost(Discovery.OAUTH_METADATA, "a", "b");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    // ---- per organisation ----

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/oauth-authorization-server/orgs/acme"})
    @DisplayName("M05 M07: an organisation's metadata, at its RFC 8414 §3 path, names its own issuer")
    void metadataWhenOrganisationThenItsIssuerAndEndpoints(String path) {
        HttpResponse<String> response = demo.getJson(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        String issuer = demo.server.issuer() + "/orgs/acme";
        // RFC 8414 §3.3 (M07): the issuer MUST be identical to the one the document was fetched for
        assertThat(DemoHttp.json(response.body())).containsEntry("issuer", issuer)
                .containsEntry("device_authorization_endpoint", issuer + "/api/v1/oauth/device_authorization")
                .containsEntry("token_endpoint", issuer + "/api/v1/oauth/token")
                .containsEntry("jwks_uri", issuer + "/oauth2/jwks");
    }

    @Test
    @DisplayName("Signing keys per tenant: acme's token verifies with acme's JWKS only and names acme's issuer")
    void jwksWhenOrganisationThenOwnKeyVerifiesItsTokensAndNoOtherTenantsKey() throws Exception {
        JWK acmeKey = JWKSet.parse(demo.getJson("/orgs/acme/oauth2/jwks").body()).getKeys().get(0);
        JWK globexKey = JWKSet.parse(demo.getJson("/orgs/globex/oauth2/jwks").body()).getKeys().get(0);
        JWK defaultKey = JWKSet.parse(demo.getJson(Discovery.JWKS).body()).getKeys().get(0);
        Map<String, Object> codes = demo.authorizeAt("/orgs/acme/api/v1/oauth/device_authorization",
                "client_id", "demo-device", "scope", "openid");
        demo.server.grant("acme").verification().approve("acme", (String) codes.get("user_code"), "alice",
                Set.of("openid"), Map.of(), null);
        demo.clock.advance(Duration.ofSeconds(5));
        Map<String, Object> tokens = DemoHttp.json(demo.poll("/orgs/acme/api/v1/oauth/token",
                (String) codes.get("device_code")).body());

        assertThat(List.of(acmeKey.getKeyID(), globexKey.getKeyID(), defaultKey.getKeyID())).doesNotHaveDuplicates();
        assertThat(acmeKey.isPrivate()).isFalse();
        SignedJWT accessToken = SignedJWT.parse((String) tokens.get("access_token"));
        assertThat(accessToken.getHeader().getKeyID()).isEqualTo(acmeKey.getKeyID());
        assertThat(accessToken.verify(new ECDSAVerifier((ECKey) acmeKey))).isTrue();
        assertThat(accessToken.verify(new ECDSAVerifier((ECKey) defaultKey))).isFalse();
        assertThat(accessToken.verify(new ECDSAVerifier((ECKey) globexKey))).isFalse();
        assertThat(accessToken.getJWTClaimsSet().getIssuer()).isEqualTo(demo.server.issuer() + "/orgs/acme");
    }
}
