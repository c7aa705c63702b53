package org.devicegrant;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.token.JwtTokenIssuer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.ISSUER;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.json;

/**
 * The whole flow in-process: authorize → lookup → approve → poll → tokens, with the JWT
 * signatures verified against the published JWK set.
 */
class FullFlowTest {

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "RS256"})
    void C01_C02_C03_C04_fullFlowIssuesVerifiableAccessAndIdTokens(String algorithm) throws Exception {
        TestGrants t = new TestGrants();
        JwtTokenIssuer issuer = algorithm.equals("ES256") ? t.jwtIssuer
                : JwtTokenIssuer.builder().issuer(ISSUER).signingKey(rsaKey()).clock(t.clock).random(t.random).build();
        DeviceGrant grant = t.grant(b -> b, issuer);

        // 1. the device asks for codes
        TestGrants.Issued issued = TestGrants.authorize(grant, "tv", "openid profile offline_access");
        // 2. the user opens the page and enters the code
        t.advance(Duration.ofSeconds(20));
        LookupResult.Pending pending = (LookupResult.Pending) grant.verification()
                .lookup(TENANT, issued.userCode().toLowerCase(java.util.Locale.ROOT), "203.0.113.7");
        // 3. logs in and approves
        Instant authTime = t.clock.instant().minusSeconds(5);
        DecisionResult decision = grant.verification().approve(TENANT, pending.userCode(), "alice",
                Set.of("openid", "profile"), Map.of("email", "alice@example.com"), authTime);
        assertThat(decision).isEqualTo(new DecisionResult.Recorded(pending.authorizationId()));
        // 4. the device polls
        DeviceGrantResponse response = TestGrants.poll(grant, "tv", issued.deviceCode());

        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> body = json(response);
        JWKSet published = JWKSet.parse(issuer.publicJwkSet().toString(true));

        SignedJWT access = SignedJWT.parse((String) body.get("access_token"));
        assertThat(verify(access, published)).isTrue();
        assertThat(access.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        JWTClaimsSet at = access.getJWTClaimsSet();
        assertThat(at.getIssuer()).isEqualTo(ISSUER.toString());
        assertThat(at.getSubject()).isEqualTo("alice");
        assertThat(at.getStringClaim("client_id")).isEqualTo("tv");
        assertThat(at.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile");
        assertThat(at.getIssueTime()).isEqualTo(Date.from(t.clock.instant()));
        assertThat(at.getExpirationTime()).isAfter(at.getIssueTime());
        assertThat(at.getClaim("email")).isEqualTo("alice@example.com");

        SignedJWT id = SignedJWT.parse((String) body.get("id_token"));
        assertThat(verify(id, published)).isTrue();
        JWTClaimsSet it = id.getJWTClaimsSet();
        assertThat(it.getAudience()).containsExactly("tv");
        assertThat(it.getSubject()).isEqualTo("alice");
        assertThat(it.getDateClaim("auth_time")).isEqualTo(Date.from(authTime));

        // C05: offline_access was requested but not granted, and no grants are kept
        assertThat(body).doesNotContainKey("refresh_token");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void C05_refreshTokenOnlyWhenOfflineAccessIsGranted(boolean granted) {
        TestGrants t = new TestGrants();
        DeviceGrant grant = t.withGrants();
        TestGrants.Issued issued = TestGrants.authorize(grant, "tv", "openid offline_access");
        grant.verification().approve(TENANT, issued.userCode(), "alice",
                granted ? Set.of("openid", "offline_access") : Set.of("openid"), Map.of(), null);

        Map<String, Object> body = json(TestGrants.poll(grant, "tv", issued.deviceCode()));
        assertThat(body.containsKey("refresh_token")).isEqualTo(granted);
    }

    private static boolean verify(SignedJWT jwt, JWKSet keys) throws Exception {
        JWK jwk = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwk).as("signing key published under its kid").isNotNull();
        assertThat(jwk.isPrivate()).isFalse();
        Key key = jwk instanceof RSAKey rsa ? rsa.toPublicKey() : jwk.toECKey().toPublicKey();
        JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key);
        return jwt.verify(verifier);
    }

    private static RSAKey rsaKey() throws Exception {
        return new RSAKeyGenerator(2048).keyID("test-rs256").generate();
    }
}
