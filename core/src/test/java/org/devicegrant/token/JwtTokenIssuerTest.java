package org.devicegrant.token;

import org.devicegrant.InvalidSettingException;
import org.devicegrant.internal.IssuerIdentifier;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.devicegrant.clientauth.OAuthClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtTokenIssuerTest {

    private static final URI ISSUER = URI.create("https://id.example.com/realms/main");
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00.700Z");
    private static final Instant NOW_SECONDS = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant AUTH_TIME = Instant.parse("2025-03-01T09:58:12Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final OAuthClient TV = OAuthClient.builder("tv-app").build();

    static Stream<Arguments> signingKeys() {
        return Stream.of(
                Arguments.of("RS256", (UnaryOperator<JwtTokenIssuer.Builder>) b -> b.signingKey(TestKeys.RSA), JWSAlgorithm.RS256),
                Arguments.of("ES256", (UnaryOperator<JwtTokenIssuer.Builder>) b -> b.signingKey(TestKeys.EC), JWSAlgorithm.ES256),
                Arguments.of("EdDSA JWK", (UnaryOperator<JwtTokenIssuer.Builder>) b -> b.signingKey(Rfc8037.privateKey()),
                        JWSAlgorithm.EdDSA),
                Arguments.of("EdDSA KeyPair", (UnaryOperator<JwtTokenIssuer.Builder>) b -> b.signingKey(TestKeys.ED25519_PAIR, "ed-1"),
                        JWSAlgorithm.EdDSA));
    }

    private static JwtTokenIssuer.Builder base() {
        return JwtTokenIssuer.builder().issuer(ISSUER).clock(CLOCK).random(new SecureRandom());
    }

    private static JwtTokenIssuer rsaIssuer() {
        return base().signingKey(TestKeys.RSA).build();
    }

    private static TokenIssuanceRequest request(Set<String> scopes, Map<String, Object> claims, Instant authTime, OAuthClient client) {
        return new TokenIssuanceRequest("tenant-1", client, "alice", scopes, claims, authTime, "auth-42", NOW);
    }

    private static TokenIssuanceRequest request(Set<String> scopes) {
        return request(scopes, Map.of(), null, TV);
    }

    /** Parses {@code token} and verifies its signature with the key of its kid in {@code keys}. */
    private static SignedJWT verified(String token, JWKSet keys) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("published key for kid %s", jwt.getHeader().getKeyID()).isNotNull();
        assertThat(jwt.verify(TestKeys.verifierFor(key))).as("signature").isTrue();
        return jwt;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingKeys")
    @DisplayName("C01: without openid, a signed RFC 9068 access token with every claim and no ID token")
    void issueWhenOpenidNotGrantedThenSignedAccessTokenAndNoIdToken(String name, UnaryOperator<JwtTokenIssuer.Builder> key,
            JWSAlgorithm algorithm) throws Exception {
        JwtTokenIssuer issuer = key.apply(base()).build();

        IssuedTokens tokens = issuer.issue(request(Set.of("read", "devices:write")));

        SignedJWT jwt = verified(tokens.accessToken(), issuer.publicJwkSet());
        // RFC 9068 §2.1: typ "at+jwt".
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(algorithm);
        assertThat(issuer.algorithm()).isEqualTo(algorithm);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER.toString());
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly(ISSUER.toString());
        assertThat(claims.getStringClaim("client_id")).isEqualTo("tv-app");
        // the grant the token was issued under: the redeemed authorization's id
        assertThat(claims.getStringClaim(JwtTokenIssuer.GRANT_ID_CLAIM)).isEqualTo(request(Set.of()).authorizationId());
        assertThat(claims.getStringClaim("scope")).isEqualTo("devices:write read");
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW_SECONDS));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW_SECONDS.plus(Duration.ofMinutes(10))));
        assertThat(claims.getJWTID()).matches("[A-Za-z0-9_-]{22}");
        assertThat(claims.getClaims()).doesNotContainKeys("auth_time", "nbf", "azp");
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        assertThat(tokens.expiresIn()).isEqualTo(Duration.ofMinutes(10));
        assertThat(tokens.scope()).containsExactlyInAnyOrder("read", "devices:write");
        assertThat(tokens.idToken()).isNull();
        assertThat(tokens.refreshToken()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingKeys")
    void publicJwkSetWhenBuiltThenOnlyPublicPartsWithKidUseAndAlg(String name, UnaryOperator<JwtTokenIssuer.Builder> key,
            JWSAlgorithm algorithm) {
        JwtTokenIssuer issuer = key.apply(base()).build();

        JWKSet published = issuer.publicJwkSet();

        assertThat(published.getKeys()).hasSize(1);
        JWK jwk = published.getKeys().get(0);
        assertThat(jwk.isPrivate()).isFalse();
        // toJSONObject(false) would include private members if any were present
        assertThat(published.toJSONObject(false).toString()).doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"");
        assertThat(jwk.toJSONObject()).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
        assertThat(jwk.getKeyID()).isNotBlank();
        assertThat(jwk.getAlgorithm()).isEqualTo(algorithm);
        assertThat(jwk.getKeyUse().identifier()).isEqualTo("sig");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingKeys")
    @DisplayName("C01 C02: with openid, a signed ID token with iss, sub, aud = client_id, azp, iat, exp, auth_time")
    void issueWhenOpenidGrantedThenIdTokenWithRequiredClaims(String name, UnaryOperator<JwtTokenIssuer.Builder> key,
            JWSAlgorithm algorithm) throws Exception {
        JwtTokenIssuer issuer = key.apply(base().idTokenLifetime(Duration.ofMinutes(5))).build();

        IssuedTokens tokens = issuer.issue(request(Set.of("openid", "profile"), Map.of("email", "alice@example.com"), AUTH_TIME, TV));

        assertThat(tokens.idToken()).isNotNull();
        SignedJWT jwt = verified(tokens.idToken(), issuer.publicJwkSet());
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(algorithm);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        // C02 OIDC Core §2: iss, sub, aud (contains client_id), exp, iat REQUIRED.
        assertThat(claims.getIssuer()).isEqualTo(ISSUER.toString());
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("tv-app");
        assertThat(claims.getStringClaim("azp")).isEqualTo("tv-app");
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW_SECONDS));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW_SECONDS.plus(Duration.ofMinutes(5))));
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(AUTH_TIME.getEpochSecond());
        assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(claims.getClaims()).doesNotContainKeys("scope", "client_id", "nbf");
    }

    @Test
    void issueWhenAuthTimeKnownThenAccessTokenCarriesAuthTimeAndHostClaims() throws Exception {
        JwtTokenIssuer issuer = rsaIssuer();

        IssuedTokens tokens = issuer.issue(request(Set.of(), Map.of("tenant_role", "viewer"), AUTH_TIME, TV));

        JWTClaimsSet claims = verified(tokens.accessToken(), issuer.publicJwkSet()).getJWTClaimsSet();
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(AUTH_TIME.getEpochSecond());
        assertThat(claims.getStringClaim("tenant_role")).isEqualTo("viewer");
        // scope is omitted when no scope was granted
        assertThat(claims.getClaims()).doesNotContainKey("scope");
        assertThat(tokens.scope()).isEmpty();
    }

    @Test
    void issueWhenRequestClaimsNameRegisteredClaimsThenTheyAreIgnored() throws Exception {
        Map<String, Object> hostile = new HashMap<>();
        for (String name : List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "typ", "auth_time", "azp")) {
            hostile.put(name, "forged");
        }
        hostile.put("email", "alice@example.com");
        JwtTokenIssuer issuer = rsaIssuer();

        IssuedTokens tokens = issuer.issue(request(Set.of("openid", "read"), hostile, null, TV));

        JWTClaimsSet access = verified(tokens.accessToken(), issuer.publicJwkSet()).getJWTClaimsSet();
        JWTClaimsSet id = verified(tokens.idToken(), issuer.publicJwkSet()).getJWTClaimsSet();
        for (JWTClaimsSet claims : List.of(access, id)) {
            assertThat(claims.getIssuer()).isEqualTo(ISSUER.toString());
            assertThat(claims.getSubject()).isEqualTo("alice");
            assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW_SECONDS));
            assertThat(claims.getExpirationTime()).isAfter(Date.from(NOW_SECONDS));
            assertThat(claims.getClaims()).doesNotContainKeys("nbf", "typ", "auth_time");
            assertThat(claims.getClaims().values()).doesNotContain("forged");
            assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
        }
        assertThat(access.getAudience()).containsExactly(ISSUER.toString());
        assertThat(access.getStringClaim("client_id")).isEqualTo("tv-app");
        assertThat(access.getStringClaim("scope")).isEqualTo("openid read");
        assertThat(access.getJWTID()).isNotEqualTo("forged");
        assertThat(id.getAudience()).containsExactly("tv-app");
        assertThat(id.getStringClaim("azp")).isEqualTo("tv-app");
    }

    @ParameterizedTest(name = "offline_access={0}, alwaysIssueRefreshToken={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    @DisplayName("C05: the issuer signs access and ID tokens only; refresh tokens are the grant's")
    void issueWhenRefreshTokenWouldBeDueThenIssuerStillIssuesNone(boolean offlineAccess, boolean always) {
        OAuthClient client = OAuthClient.builder("tv-app").alwaysIssueRefreshToken(always).build();
        Set<String> scopes = offlineAccess ? Set.of("read", "offline_access") : Set.of("read");

        IssuedTokens tokens = base().signingKey(TestKeys.EC).build().issue(request(scopes, Map.of(), null, client));

        assertThat(tokens.refreshToken()).isNull();
        assertThat(tokens.accessToken()).isNotEmpty();
    }

    @Test
    void issueWhenClockMovesThenIatAndExpFollowIt() throws Exception {
        Instant later = Instant.parse("2025-06-30T23:59:59.999Z");
        JwtTokenIssuer issuer = JwtTokenIssuer.builder().issuer(ISSUER).random(new SecureRandom())
                .clock(Clock.fixed(later, ZoneOffset.UTC)).signingKey(TestKeys.EC)
                .accessTokenLifetime(Duration.ofHours(24)).build();

        IssuedTokens tokens = issuer.issue(request(Set.of()));

        JWTClaimsSet claims = verified(tokens.accessToken(), issuer.publicJwkSet()).getJWTClaimsSet();
        Instant expectedIat = Instant.parse("2025-06-30T23:59:59Z");
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(expectedIat));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(expectedIat.plus(Duration.ofHours(24))));
        assertThat(tokens.expiresIn()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void issueWhenSameSeededRandomThenSameJtiAndOtherwiseFresh() throws Exception {
        JwtTokenIssuer first = base().signingKey(TestKeys.EC).build();
        String jtiA = SignedJWT.parse(first.issue(request(Set.of())).accessToken()).getJWTClaimsSet().getJWTID();
        String jtiB = SignedJWT.parse(first.issue(request(Set.of())).accessToken()).getJWTClaimsSet().getJWTID();

        assertThat(jtiA).isNotEqualTo(jtiB);
        assertThat(jtiFromSeededIssuer()).isEqualTo(jtiFromSeededIssuer());
    }

    private static String jtiFromSeededIssuer() throws Exception {
        SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
        seeded.setSeed(42L);
        JwtTokenIssuer issuer = JwtTokenIssuer.builder().issuer(ISSUER).clock(CLOCK).random(seeded)
                .signingKey(Rfc8037.privateKey()).build();
        return SignedJWT.parse(issuer.issue(request(Set.of())).accessToken()).getJWTClaimsSet().getJWTID();
    }

    @Test
    void issueWhenAudienceConfiguredThenAccessTokenAudienceIsIt() throws Exception {
        JwtTokenIssuer issuer = base().signingKey(TestKeys.EC).audience("https://api.example.com").build();

        JWTClaimsSet claims = verified(issuer.issue(request(Set.of())).accessToken(), issuer.publicJwkSet()).getJWTClaimsSet();

        // B04 RFC 9700 §2.3: the access token is restricted to one audience.
        assertThat(claims.getAudience()).containsExactly("https://api.example.com");
    }

    @Test
    void buildWhenSigningKeyHasNoKidThenRfc7638ThumbprintIsTheKid() throws Exception {
        OctetKeyPair withoutKid = Rfc8037.privateKey();
        JwtTokenIssuer issuer = base().signingKey(withoutKid).build();

        SignedJWT jwt = SignedJWT.parse(issuer.issue(request(Set.of())).accessToken());

        // RFC 8037 Appendix A.3 gives this key's thumbprint.
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(Rfc8037.THUMBPRINT);
        assertThat(issuer.publicJwkSet().getKeys().get(0).getKeyID()).isEqualTo(Rfc8037.THUMBPRINT);
    }

    @Test
    void buildWhenVerificationKeysGivenThenPublishedPublicOnlyBesideTheSigningKey() throws Exception {
        RSAKey previous = TestKeys.RSA;
        JwtTokenIssuer issuer = base().signingKey(TestKeys.EC).verificationKeys(previous, Rfc8037.privateKey()).build();

        JWKSet published = issuer.publicJwkSet();

        assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactly("ec-1", "rsa-1", Rfc8037.THUMBPRINT);
        assertThat(published.getKeys()).noneMatch(JWK::isPrivate);
        assertThat(published.toJSONObject(false).toString()).doesNotContain("\"d\"");
        SignedJWT jwt = verified(issuer.issue(request(Set.of())).accessToken(), published);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("ec-1");
    }

    @Test
    void buildWhenVerificationKeyReusesKidThenRejected() throws Exception {
        RSAKey sameKid = new RSAKey.Builder(TestKeys.RSA.toRSAPublicKey()).keyID("ec-1").build();

        assertThatThrownBy(() -> base().signingKey(TestKeys.EC).verificationKeys(sameKid).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("verificationKeys: kid ec-1 is used by more than one key");
    }

    @Test
    void buildWhenVerificationKeyIsSymmetricThenRejected() {
        JWK secret = new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(new byte[32]).keyID("hmac").build();

        assertThatThrownBy(() -> base().signingKey(TestKeys.EC).verificationKeys(secret).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("verificationKeys must be RSA, EC or OKP public keys");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "http://127.0.0.1/issuer", "http://[::1]:8080", "https://id.example.com"})
    void buildWhenIssuerIsHttpsOrLoopbackHttpThenAccepted(String issuer) {
        // the rule itself is IssuerIdentifier's (IssuerIdentifierTest); the grant applies the same one
        JwtTokenIssuer built = JwtTokenIssuer.builder().issuer(URI.create(issuer)).clock(CLOCK).random(new SecureRandom())
                .signingKey(TestKeys.EC).build();

        assertThat(built.algorithm()).isEqualTo(JWSAlgorithm.ES256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://id.example.com", "https://id.example.com?realm=a", "/relative/issuer"})
    void buildWhenIssuerNotAllowedThenRejectedNamingIssuer(String issuer) {
        JwtTokenIssuer.Builder builder = JwtTokenIssuer.builder().issuer(URI.create(issuer)).clock(CLOCK)
                .random(new SecureRandom()).signingKey(TestKeys.EC);

        assertThatThrownBy(builder::build).isInstanceOf(InvalidSettingException.class)
                .hasMessage("issuer must be " + IssuerIdentifier.ALLOWED + ", was " + issuer);
    }

    @Test
    void buildWhenIssuerHasUserInfoThenMessageDoesNotEchoIt() {
        JwtTokenIssuer.Builder builder = JwtTokenIssuer.builder().issuer(URI.create("https://user:s3cret@id.example.com"))
                .clock(CLOCK).random(new SecureRandom()).signingKey(TestKeys.EC);

        assertThatThrownBy(builder::build).message().doesNotContain("s3cret");
    }

    @Test
    void buildWhenRsaKeyShorterThan2048BitsThenRejected() {
        JwtTokenIssuer.Builder builder = base().signingKey(TestKeys.jdkKeyPair("RSA", 1024), "short");

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey must be an RSA key of at least 2048 bits, was 1024 bits");
    }

    @Test
    void buildWhenClockMissingThenRejected() {
        JwtTokenIssuer.Builder builder = JwtTokenIssuer.builder().issuer(ISSUER).random(new SecureRandom()).signingKey(TestKeys.EC);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clock is required: a Clock, e.g. Clock.systemUTC()");
    }

    @Test
    void buildWhenRandomMissingThenRejected() {
        JwtTokenIssuer.Builder builder = JwtTokenIssuer.builder().issuer(ISSUER).clock(CLOCK).signingKey(TestKeys.EC);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("random is required: a SecureRandom");
    }

    @Test
    void buildWhenIssuerMissingThenRejected() {
        JwtTokenIssuer.Builder builder = JwtTokenIssuer.builder().clock(CLOCK).random(new SecureRandom()).signingKey(TestKeys.EC);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("issuer is required");
    }

    @Test
    void buildWhenSigningKeyMissingThenRejected() {
        assertThatThrownBy(base()::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("signingKey is required: RSA (RS256, at least 2048 bits), EC P-256 (ES256) or OKP Ed25519");
    }

    @Test
    void buildWhenSigningKeyHasNoPrivatePartThenRejected() {
        JwtTokenIssuer.Builder builder = base().signingKey(TestKeys.RSA.toPublicJWK());

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signingKey must include its private part");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "accessTokenLifetime, PT59S",
            "accessTokenLifetime, PT24H1S",
            "idTokenLifetime, PT0S",
            "idTokenLifetime, P2D",
    })
    void buildWhenLifetimeOutOfRangeThenRejectedNamingSettingAndRange(String setting, String lifetime) {
        Duration value = Duration.parse(lifetime);
        JwtTokenIssuer.Builder builder = base().signingKey(TestKeys.EC);
        if (setting.equals("accessTokenLifetime")) {
            builder.accessTokenLifetime(value);
        } else {
            builder.idTokenLifetime(value);
        }

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage(setting + " must be between PT1M and PT24H, was " + value);
    }

    @Test
    void buildWhenLifetimesAtTheBoundsThenAccepted() {
        JwtTokenIssuer issuer = base().signingKey(TestKeys.EC).accessTokenLifetime(Duration.ofMinutes(1))
                .idTokenLifetime(Duration.ofHours(24)).build();

        assertThat(issuer.issue(request(Set.of())).expiresIn()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void buildWhenAudienceBlankThenRejected() {
        JwtTokenIssuer.Builder builder = base().signingKey(TestKeys.EC).audience(" ");

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("audience must be a non-blank string (default: the issuer), was blank");
    }

    @Test
    void builderWhenSettingAssignedTwiceThenRejected() {
        JwtTokenIssuer.Builder builder = base().signingKey(TestKeys.EC);

        assertThatThrownBy(() -> builder.clock(CLOCK)).isInstanceOf(IllegalStateException.class)
                .hasMessage("clock was already set");
        assertThatThrownBy(() -> builder.signingKey(TestKeys.ED25519_PAIR, null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("signingKey was already set");
    }

    @Test
    void buildWhenEdDsaKeyPairWithoutKidThenThumbprintKidAndVerifiable() throws Exception {
        JwtTokenIssuer issuer = base().signingKey(TestKeys.ED25519_PAIR, null).build();

        SignedJWT jwt = verified(issuer.issue(request(Set.of())).accessToken(), issuer.publicJwkSet());

        OctetKeyPair published = (OctetKeyPair) issuer.publicJwkSet().getKeys().get(0);
        assertThat(published.getCurve()).isEqualTo(Curve.Ed25519);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(published.computeThumbprint().toString());
    }

    // ---- reading access tokens back (introspection, revocation) ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingKeys")
    @DisplayName("I03: an access token reads back with its subject, client, scope, times and grant")
    void inspectWhenOwnValidAccessTokenThenItsClaims(String name, UnaryOperator<JwtTokenIssuer.Builder> key,
            JWSAlgorithm algorithm) {
        JwtTokenIssuer issuer = key.apply(base()).build();
        IssuedTokens tokens = issuer.issue(request(Set.of("read", "openid")));

        IssuedAccessToken read = issuer.inspect("tenant-1", tokens.accessToken()).orElseThrow();

        assertThat(read).isEqualTo(new IssuedAccessToken(ISSUER.toString(), "alice", "tv-app", Set.of("read", "openid"),
                NOW_SECONDS, NOW_SECONDS.plus(Duration.ofMinutes(10)), "auth-42", "Bearer"));
    }

    @Test
    void inspectWhenExpiredByTheIssuersClockThenEmpty() {
        String token = rsaIssuer().issue(request(Set.of())).accessToken();
        JwtTokenIssuer later = base().signingKey(TestKeys.RSA).build();
        JwtTokenIssuer atExpiry = JwtTokenIssuer.builder().issuer(ISSUER).random(new SecureRandom())
                .clock(Clock.fixed(NOW_SECONDS.plus(Duration.ofMinutes(10)), ZoneOffset.UTC)).signingKey(TestKeys.RSA)
                .build();

        assertThat(later.inspect("tenant-1", token)).isPresent();
        assertThat(atExpiry.inspect("tenant-1", token)).isEmpty();
    }

    @Test
    void inspectWhenNotAnAccessTokenOfThisIssuerThenEmpty() {
        JwtTokenIssuer issuer = rsaIssuer();
        IssuedTokens tokens = issuer.issue(request(Set.of("openid")));
        String otherKey = base().signingKey(TestKeys.EC).build().issue(request(Set.of())).accessToken();
        String otherIssuer = JwtTokenIssuer.builder().issuer(URI.create("https://other.example.com"))
                .clock(CLOCK).random(new SecureRandom()).signingKey(TestKeys.RSA).build()
                .issue(request(Set.of())).accessToken();
        String[] parts = tokens.accessToken().split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];

        // RFC 9068 §4: typ must be at+jwt, so an ID token of the same key is no access token
        assertThat(issuer.inspect("tenant-1", tokens.idToken())).isEmpty();
        assertThat(issuer.inspect("tenant-1", otherKey)).isEmpty();
        assertThat(issuer.inspect("tenant-1", otherIssuer)).isEmpty();
        assertThat(issuer.inspect("tenant-1", tampered)).isEmpty();
        assertThat(issuer.inspect("tenant-1", "not a token")).isEmpty();
        assertThat(issuer.inspect("tenant-1", "")).isEmpty();
        assertThat(issuer.inspect("tenant-1", null)).isEmpty();
        assertThat(issuer.inspect("tenant-1", tokens.accessToken())).isPresent();
    }

    @Test
    void inspectByDefaultReadsNothingBack() {
        TokenIssuer hostIssuer = request -> {
            throw new TokenIssuanceException("not called");
        };
        assertThat(hostIssuer.inspect("tenant-1", rsaIssuer().issue(request(Set.of())).accessToken())).isEmpty();
    }
}
