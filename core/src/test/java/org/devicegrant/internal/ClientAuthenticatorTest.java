package org.devicegrant.internal;

import org.devicegrant.clientauth.ClientRegistry;
import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.storage.tck.MutableClock;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.JWTAuthentication;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ClientAuthenticatorTest {

    private static final String TENANT = "t1";
    private static final String SOURCE = "192.0.2.10";
    private static final URI ISSUER = URI.create("https://id.example.com");
    private static final URI TOKEN_ENDPOINT = URI.create("https://id.example.com/oauth2/token");
    private static final String SECRET = "s3cret-value";
    private static final String JWT_BEARER = JWTAuthentication.CLIENT_ASSERTION_TYPE;
    /** RFC 6749 §5.2 (O14): error_description is limited to %x20-21 / %x23-5B / %x5D-7E. */
    private static final String O14_CHARACTERS = "[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*";

    private static final RSAKey RSA = generateRsa("rsa-1");
    private static final RSAKey OTHER_RSA = generateRsa("rsa-1");
    private static final ECKey EC = generateEc("ec-1");
    private static final Map<Curve, ECKey> EC_BY_CURVE = Map.of(Curve.P_256, EC,
            Curve.P_384, generateEc("ec-384", Curve.P_384), Curve.P_521, generateEc("ec-521", Curve.P_521));

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    private final ClientRegistry registry = InMemoryClientRegistry.builder()
            .client(TENANT, OAuthClient.builder("tv").build())
            .client(TENANT, OAuthClient.builder("tv-off").enabled(false).build())
            .client(TENANT, OAuthClient.builder("svc").secret(ClientSecret.sha256(SECRET)).build())
            .client(TENANT, OAuthClient.builder("svc-off").secret(ClientSecret.sha256(SECRET)).enabled(false).build())
            .client(TENANT, OAuthClient.builder("basic-only").secret(ClientSecret.sha256(SECRET))
                    .authenticationMethods(Set.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)).build())
            .client(TENANT, OAuthClient.builder("a:b%c").secret(ClientSecret.sha256("p:w%d")).build())
            .client(TENANT, OAuthClient.builder("jwt-rsa").jwkSet(new JWKSet(RSA.toPublicJWK())).build())
            .client(TENANT, OAuthClient.builder("jwt-ec").jwkSet(new JWKSet(EC.toPublicJWK())).build())
            .client(TENANT, OAuthClient.builder("jwt-any").jwkSet(new JWKSet(List.of(RSA.toPublicJWK(),
                    EC.toPublicJWK(), EC_BY_CURVE.get(Curve.P_384).toPublicJWK(),
                    EC_BY_CURVE.get(Curve.P_521).toPublicJWK()))).build())
            .client(TENANT, OAuthClient.builder("jwt-off").jwkSet(new JWKSet(RSA.toPublicJWK())).enabled(false).build())
            .build();

    private final ClientAuthenticator authenticator = ClientAuthenticator.builder()
            .registry(registry)
            .clock(clock)
            .acceptedAudiences(Set.of(ISSUER, TOKEN_ENDPOINT))
            .build();

    // ---------------------------------------------------------------- happy paths

    @Test
    @DisplayName("D02 D23 D40: a public client identifies itself with client_id alone")
    void noneWhenPublicClientSendsClientIdThenAuthenticated() {
        ClientAuthenticationResult result = authenticator.authenticate(TENANT, SOURCE, Map.of("client_id", List.of("tv")), null);

        assertAuthenticated(result, "tv", ClientAuthenticationMethod.NONE);
    }

    @Test
    @DisplayName("O03: client_secret_basic")
    void basicWhenSecretCorrectThenAuthenticated() {
        ClientAuthenticationResult result = authenticator.authenticate(TENANT, SOURCE, Map.of(), basic("svc", SECRET));

        assertAuthenticated(result, "svc", ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    }

    @Test
    @DisplayName("O08: with Basic the client MAY also send a matching client_id")
    void basicWhenBodyRepeatsSameClientIdThenAuthenticated() {
        ClientAuthenticationResult result =
                authenticator.authenticate(TENANT, SOURCE, Map.of("client_id", List.of("svc")), basic("svc", SECRET));

        assertAuthenticated(result, "svc", ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    }

    @Test
    @DisplayName("O03: Basic id and secret are form-urlencoded before base64, so ':' and '%' survive")
    void basicWhenIdAndSecretHoldColonAndPercentThenDecodedBeforeComparing() {
        // RFC 6749 §2.3.1: the client identifier is encoded using application/x-www-form-urlencoded,
        // and the encoded value is used as the username; the password likewise.
        String header = basic("a:b%c", "p:w%d");
        assertThat(header).doesNotContain("a:b%c");

        ClientAuthenticationResult result = authenticator.authenticate(TENANT, SOURCE, Map.of(), header);

        assertAuthenticated(result, "a:b%c", ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    }

    @Test
    @DisplayName("O04: client_secret_post is supported though not recommended")
    void postWhenSecretCorrectThenAuthenticated() {
        ClientAuthenticationResult result = authenticator.authenticate(TENANT, SOURCE,
                Map.of("client_id", List.of("svc"), "client_secret", List.of(SECRET)), null);

        assertAuthenticated(result, "svc", ClientAuthenticationMethod.CLIENT_SECRET_POST);
    }

    @Test
    @DisplayName("B05: private_key_jwt with an RS256 key")
    void privateKeyJwtWhenRs256AssertionValidThenAuthenticated() {
        Map<String, List<String>> params = assertion(claims("jwt-rsa").build(), RSA, JWSAlgorithm.RS256);

        ClientAuthenticationResult result = authenticator.authenticate(TENANT, SOURCE, params, null);

        assertAuthenticated(result, "jwt-rsa", ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    @Test
    @DisplayName("B05: private_key_jwt with an ES256 key, audience = issuer")
    void privateKeyJwtWhenEs256AssertionForIssuerThenAuthenticated() {
        JWTClaimsSet claims = claims("jwt-ec").audience(ISSUER.toString()).build();

        ClientAuthenticationResult result =
                authenticator.authenticate(TENANT, SOURCE, assertion(claims, EC, JWSAlgorithm.ES256), null);

        assertAuthenticated(result, "jwt-ec", ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    @Test
    @DisplayName("B05 O08: private_key_jwt with a matching client_id in the body")
    void privateKeyJwtWhenBodyClientIdMatchesThenAuthenticated() {
        Map<String, List<String>> params = new HashMap<>(assertion(claims("jwt-rsa").build(), RSA, JWSAlgorithm.RS256));
        params.put("client_id", List.of("jwt-rsa"));

        assertAuthenticated(authenticator.authenticate(TENANT, SOURCE, params, null), "jwt-rsa",
                ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    // ---------------------------------------------------------------- error matrix

    static Stream<Arguments> errorMatrix() {
        String rsaAssertion = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
        return Stream.of(
                arguments("O01 Basic header and client_secret in body",
                        Map.of("client_secret", List.of(SECRET)), basic("svc", SECRET), "invalid_request", true),
                arguments("O01 Basic header and client_assertion",
                        Map.of("client_assertion_type", List.of(JWT_BEARER), "client_assertion", List.of(rsaAssertion)),
                        basic("svc", SECRET), "invalid_request", true),
                arguments("O01 client_secret and client_assertion in body",
                        Map.of("client_id", List.of("svc"), "client_secret", List.of(SECRET),
                                "client_assertion_type", List.of(JWT_BEARER), "client_assertion", List.of(rsaAssertion)),
                        null, "invalid_request", false),
                arguments("O01 Basic client id differs from body client_id",
                        Map.of("client_id", List.of("tv")), basic("svc", SECRET), "invalid_request", true),
                arguments("O13 repeated client_id",
                        Map.of("client_id", List.of("tv", "tv")), null, "invalid_request", false),
                arguments("O13 repeated client_secret",
                        Map.of("client_id", List.of("svc"), "client_secret", List.of(SECRET, SECRET)), null,
                        "invalid_request", false),
                arguments("O13 repeated client_assertion",
                        Map.of("client_assertion_type", List.of(JWT_BEARER),
                                "client_assertion", List.of(rsaAssertion, rsaAssertion)), null, "invalid_request", false),
                arguments("O13 repeated client_assertion_type",
                        Map.of("client_assertion_type", List.of(JWT_BEARER, JWT_BEARER),
                                "client_assertion", List.of(rsaAssertion)), null, "invalid_request", false),
                arguments("D02 no client_id and no credentials",
                        Map.of(), null, "invalid_client", false),
                arguments("D02 empty client_id counts as absent",
                        Map.of("client_id", List.of("")), null, "invalid_client", false),
                arguments("D23 unknown client_id",
                        Map.of("client_id", List.of("radio")), null, "invalid_client", false),
                arguments("D24 O08 confidential client sends only client_id",
                        Map.of("client_id", List.of("svc")), null, "invalid_client", false),
                arguments("D24 O08 private_key_jwt client sends only client_id",
                        Map.of("client_id", List.of("jwt-rsa")), null, "invalid_client", false),
                arguments("O02 public client sends client_secret in body",
                        Map.of("client_id", List.of("tv"), "client_secret", List.of(SECRET)), null, "invalid_client", false),
                arguments("O02 public client sends Basic",
                        Map.of(), basic("tv", SECRET), "invalid_client", true),
                arguments("O02 public client sends Basic with empty password",
                        Map.of(), basic("tv", ""), "invalid_client", true),
                arguments("O12 Authorization header is not Basic",
                        Map.of(), "Bearer abc", "invalid_client", true),
                arguments("O12 Basic with bad base64",
                        Map.of(), "Basic !!!not-base64", "invalid_client", true),
                arguments("O12 Basic without colon",
                        Map.of(), "Basic " + base64("svc"), "invalid_client", true),
                arguments("O12 empty Authorization header",
                        Map.of(), "", "invalid_client", true),
                arguments("O03 O12 Basic with wrong secret",
                        Map.of(), basic("svc", "wrong"), "invalid_client", true),
                arguments("O03 O12 Basic with unknown client",
                        Map.of(), basic("radio", SECRET), "invalid_client", true),
                arguments("O03 Basic secret not form-decoded twice",
                        Map.of(), "Basic " + base64("a%3Ab%25c:p%253Aw%2525d"), "invalid_client", true),
                arguments("D05 client_secret_post with wrong secret",
                        Map.of("client_id", List.of("svc"), "client_secret", List.of("wrong")), null, "invalid_client", false),
                arguments("D05 client_secret without client_id",
                        Map.of("client_secret", List.of(SECRET)), null, "invalid_request", false),
                arguments("D05 client_secret_post for a client registered for Basic only",
                        Map.of("client_id", List.of("basic-only"), "client_secret", List.of(SECRET)), null,
                        "invalid_client", false),
                arguments("D05 client_secret_post for a private_key_jwt client",
                        Map.of("client_id", List.of("jwt-rsa"), "client_secret", List.of(SECRET)), null,
                        "invalid_client", false),
                arguments("B05 client_assertion_type is not jwt-bearer",
                        Map.of("client_assertion_type", List.of("urn:example:saml"), "client_assertion", List.of(rsaAssertion)),
                        null, "invalid_client", false),
                arguments("B05 client_assertion_type without client_assertion",
                        Map.of("client_assertion_type", List.of(JWT_BEARER)), null, "invalid_request", false),
                arguments("B05 client_assertion without client_assertion_type",
                        Map.of("client_assertion", List.of(rsaAssertion)), null, "invalid_client", false),
                arguments("B05 client_assertion is not a JWT",
                        Map.of("client_assertion_type", List.of(JWT_BEARER), "client_assertion", List.of("not-a-jwt")),
                        null, "invalid_client", false),
                arguments("SECURITY-18 disabled public client",
                        Map.of("client_id", List.of("tv-off")), null, "unauthorized_client", false),
                arguments("SECURITY-18 disabled confidential client with correct secret",
                        Map.of(), basic("svc-off", SECRET), "unauthorized_client", true),
                arguments("SECURITY-18 disabled confidential client with wrong secret",
                        Map.of(), basic("svc-off", "wrong"), "invalid_client", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorMatrix")
    void authenticateWhenRequestIsBadThenFailsWithOAuthError(String name, Map<String, List<String>> params,
                                                             String header, String expectedCode,
                                                             boolean expectedUsedHeader) {
        ClientAuthenticationResult result = authenticator.authenticate(TENANT, SOURCE, params, header);

        ErrorObject error = assertFailed(result, expectedCode);
        assertThat(((ClientAuthenticationResult.Failed) result).usedAuthorizationHeader())
                .as("usedAuthorizationHeader").isEqualTo(expectedUsedHeader);
        // O12: the 401 shape that usedAuthorizationHeader decides is ResponseRendererTest's
        // O14 RFC 6749 §5.2: error_description only %x20-21 / %x23-5B / %x5D-7E.
        assertThat(error.getDescription()).isNotBlank().matches(O14_CHARACTERS);
        assertThat(error.getDescription()).doesNotContain(SECRET).doesNotContain("wrong");
    }

    // ---------------------------------------------------------------- enumeration, tenancy, store

    @Test
    @DisplayName("O05: unknown client and wrong secret are indistinguishable (no client enumeration)")
    void authenticateWhenUnknownClientOrWrongSecretThenSameError() {
        ErrorObject unknown = assertFailed(authenticator.authenticate(TENANT, SOURCE, Map.of(), basic("radio", SECRET)),
                "invalid_client");
        ErrorObject wrongSecret = assertFailed(authenticator.authenticate(TENANT, SOURCE, Map.of(), basic("svc", "wrong")),
                "invalid_client");
        ErrorObject confidentialWithoutSecret = assertFailed(
                authenticator.authenticate(TENANT, SOURCE, Map.of("client_id", List.of("svc")), null), "invalid_client");

        assertThat(wrongSecret.getDescription()).isEqualTo(unknown.getDescription());
        assertThat(confidentialWithoutSecret.getDescription()).isEqualTo(unknown.getDescription());
    }

    @Test
    @DisplayName("SECURITY-3: a client of one tenant does not exist in another")
    void authenticateWhenClientBelongsToOtherTenantThenInvalidClient() {
        assertFailed(authenticator.authenticate("t2", SOURCE, Map.of(), basic("svc", SECRET)), "invalid_client");
        assertFailed(authenticator.authenticate("t2", SOURCE, Map.of("client_id", List.of("tv")), null), "invalid_client");
    }

    @Test
    void authenticateWhenRegistryUnavailableThenExceptionPropagates() {
        ClientAuthenticator failing = ClientAuthenticator.builder()
                .registry((tenant, clientId) -> {
                    throw new StoreUnavailableException("registry down");
                })
                .clock(clock)
                .build();

        assertThatThrownBy(() -> failing.authenticate(TENANT, SOURCE, Map.of(), basic("svc", SECRET)))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void authenticateWhenSecretMatchesOtherClientThenInvalidClient() {
        assertFailed(authenticator.authenticate(TENANT, SOURCE, Map.of(), basic("a:b%c", SECRET)), "invalid_client");
    }

    // ---------------------------------------------------------------- guessing budgets

    private ClientAuthenticator budgeted() {
        return ClientAuthenticator.builder().registry(registry).clock(clock)
                .acceptedAudiences(Set.of(ISSUER, TOKEN_ENDPOINT)).attemptLimiter(new InMemoryAttemptLimiter()).build();
    }

    @Test
    @DisplayName("O05 RFC 6749 §2.3.1: requests without a remote address share one budget; a known address has its own")
    void secretWhenNoRemoteAddressThenAllSuchRequestsShareOneBudget() {
        ClientAuthenticator budgeted = budgeted();
        for (int i = 0; i < 5; i++) {
            assertThat(assertFailed(budgeted.authenticate(TENANT, null, Map.of(), basic("svc", "guess-" + i)),
                    "invalid_client").getDescription()).isEqualTo(ClientAuthenticator.AUTHENTICATION_FAILED);
        }

        assertThat(assertFailed(budgeted.authenticate(TENANT, null, Map.of(), basic("svc", SECRET)), "invalid_client")
                .getDescription()).isEqualTo(ClientAuthenticator.TOO_MANY_ATTEMPTS);
        assertAuthenticated(budgeted.authenticate(TENANT, SOURCE, Map.of(), basic("svc", SECRET)), "svc",
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    }

    @Test
    @DisplayName("O05 RFC 6749 §2.3.1: the budget of one address for one client covers Basic and post alike")
    void secretWhenBasicAndPostFailuresMixThenOneBudget() {
        ClientAuthenticator budgeted = budgeted();
        for (int i = 0; i < 5; i++) {
            Map<String, List<String>> post = Map.of("client_id", List.of("svc"), "client_secret", List.of("guess-" + i));
            budgeted.authenticate(TENANT, SOURCE, i % 2 == 0 ? post : Map.of(), i % 2 == 0 ? null : basic("svc", "g" + i));
        }

        assertThat(assertFailed(budgeted.authenticate(TENANT, SOURCE,
                Map.of("client_id", List.of("svc"), "client_secret", List.of(SECRET)), null), "invalid_client")
                .getDescription()).isEqualTo(ClientAuthenticator.TOO_MANY_ATTEMPTS);
    }

    @Test
    @DisplayName("B05 O05: signed assertions are not budgeted: 50 bad ones from an address, then a good one from it")
    void privateKeyJwtWhenManyBadAssertionsFromOneAddressThenAGoodOneStillAuthenticates() {
        ClientAuthenticator budgeted = budgeted();
        for (int i = 0; i < 50; i++) {
            assertFailed(budgeted.authenticate(TENANT, SOURCE, assertion(claims("jwt-rsa").build(), OTHER_RSA,
                    JWSAlgorithm.RS256), null), "invalid_client");
        }

        assertAuthenticated(budgeted.authenticate(TENANT, SOURCE,
                assertion(claims("jwt-rsa").build(), RSA, JWSAlgorithm.RS256), null),
                "jwt-rsa", ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    // ---------------------------------------------------------------- private_key_jwt failures

    @Test
    @DisplayName("B05 RFC 7523 §3: an expired assertion is refused, judged by the injected clock")
    void privateKeyJwtWhenExpiredByInjectedClockThenInvalidClient() {
        Map<String, List<String>> params = assertion(
                claims("jwt-rsa").expirationTime(Date.from(clock.instant().plusSeconds(30))).build(), RSA, JWSAlgorithm.RS256);
        clock.advance(Duration.ofSeconds(30));

        // the system clock still sees the assertion as valid: only the injected clock refuses it
        assertFailed(authenticator.authenticate(TENANT, SOURCE, params, null), "invalid_client");
    }

    @Test
    @DisplayName("B05 RFC 7523 §3: an assertion is accepted one second before exp")
    void privateKeyJwtWhenOneSecondBeforeExpiryThenAuthenticated() {
        Map<String, List<String>> params = assertion(
                claims("jwt-rsa").expirationTime(Date.from(clock.instant().plusSeconds(30))).build(), RSA, JWSAlgorithm.RS256);
        clock.advance(Duration.ofSeconds(29));

        assertAuthenticated(authenticator.authenticate(TENANT, SOURCE, params, null), "jwt-rsa",
                ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    @Test
    @DisplayName("B05 RFC 7523 §3: nbf in the future (by the injected clock) is refused until reached")
    void privateKeyJwtWhenNotBeforeInFutureThenRefusedUntilClockReachesIt() {
        Map<String, List<String>> params = assertion(
                claims("jwt-rsa").notBeforeTime(Date.from(clock.instant().plusSeconds(30))).build(), RSA, JWSAlgorithm.RS256);

        assertFailed(authenticator.authenticate(TENANT, SOURCE, params, null), "invalid_client");

        clock.advance(Duration.ofSeconds(30));
        assertAuthenticated(authenticator.authenticate(TENANT, SOURCE, params, null), "jwt-rsa",
                ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    @Test
    @DisplayName("B05 RFC 7523 §3: aud must name this server")
    void privateKeyJwtWhenWrongAudienceThenInvalidClient() {
        JWTClaimsSet claims = claims("jwt-rsa").audience("https://other.example.com/token").build();

        assertFailed(authenticator.authenticate(TENANT, SOURCE, assertion(claims, RSA, JWSAlgorithm.RS256), null),
                "invalid_client");
    }

    @Test
    @DisplayName("B05 RFC 7523 §3: a jti is accepted once")
    void privateKeyJwtWhenJtiReplayedThenInvalidClient() {
        Map<String, List<String>> params = assertion(claims("jwt-rsa").build(), RSA, JWSAlgorithm.RS256);
        assertAuthenticated(authenticator.authenticate(TENANT, SOURCE, params, null), "jwt-rsa",
                ClientAuthenticationMethod.PRIVATE_KEY_JWT);

        clock.advance(Duration.ofSeconds(10));

        assertFailed(authenticator.authenticate(TENANT, SOURCE, params, null), "invalid_client");
    }

    @Test
    @DisplayName("B05: a fresh assertion with a new jti is accepted after another")
    void privateKeyJwtWhenNewJtiThenAuthenticatedAgain() {
        authenticator.authenticate(TENANT, SOURCE, assertion(claims("jwt-rsa").build(), RSA, JWSAlgorithm.RS256), null);

        assertAuthenticated(authenticator.authenticate(TENANT, SOURCE, assertion(claims("jwt-rsa").build(), RSA, JWSAlgorithm.RS256), null),
                "jwt-rsa", ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    @Test
    @DisplayName("B05: an assertion without jti is refused, so replay can always be detected")
    void privateKeyJwtWhenNoJtiThenInvalidClient() {
        JWTClaimsSet claims = claims("jwt-rsa").jwtID(null).build();

        assertFailed(authenticator.authenticate(TENANT, SOURCE, assertion(claims, RSA, JWSAlgorithm.RS256), null),
                "invalid_client");
    }

    @Test
    @DisplayName("B05: an assertion living longer than the jti replay window is refused")
    void privateKeyJwtWhenLifetimeExceedsReplayWindowThenInvalidClient() {
        JWTClaimsSet claims = claims("jwt-rsa").expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(11)))).build();

        assertFailed(authenticator.authenticate(TENANT, SOURCE, assertion(claims, RSA, JWSAlgorithm.RS256), null),
                "invalid_client");
    }

    @Test
    @DisplayName("B05: an assertion signed with a key the client did not register is refused")
    void privateKeyJwtWhenSignedWithWrongKeyThenInvalidClient() {
        Map<String, List<String>> params = assertion(claims("jwt-rsa").build(), OTHER_RSA, JWSAlgorithm.RS256);

        assertFailed(authenticator.authenticate(TENANT, SOURCE, params, null), "invalid_client");
    }

    @Test
    @DisplayName("B05: another client's valid assertion does not authenticate this one")
    void privateKeyJwtWhenSignedByKeyOfOtherClientThenInvalidClient() {
        Map<String, List<String>> params = assertion(claims("jwt-rsa").build(), EC, JWSAlgorithm.ES256);

        assertFailed(authenticator.authenticate(TENANT, SOURCE, params, null), "invalid_client");
    }

    @Test
    @DisplayName("B05 RFC 7523 §3: iss and sub must both be the client_id")
    void privateKeyJwtWhenIssuerDiffersFromSubjectThenInvalidClient() {
        JWTClaimsSet claims = claims("jwt-rsa").issuer("someone-else").build();

        assertFailed(authenticator.authenticate(TENANT, SOURCE, assertion(claims, RSA, JWSAlgorithm.RS256), null),
                "invalid_client");
    }

    @Test
    @DisplayName("B05 O08: a body client_id other than the assertion's sub is refused")
    void privateKeyJwtWhenBodyClientIdDiffersThenInvalidClient() {
        Map<String, List<String>> params = new HashMap<>(assertion(claims("jwt-rsa").build(), RSA, JWSAlgorithm.RS256));
        params.put("client_id", List.of("jwt-ec"));

        assertFailed(authenticator.authenticate(TENANT, SOURCE, params, null), "invalid_client");
    }

    static Stream<JWSAlgorithm> assertionSigningAlgorithms() {
        return ClientAuthenticator.ASSERTION_SIGNING_ALGORITHMS.stream();
    }

    @ParameterizedTest
    @MethodSource("assertionSigningAlgorithms")
    @DisplayName("M03: every algorithm advertised in token_endpoint_auth_signing_alg_values_supported is accepted")
    void privateKeyJwtWhenSignedWithAnAdvertisedAlgorithmThenAuthenticated(JWSAlgorithm algorithm) {
        JWK key = JWSAlgorithm.Family.RSA.contains(algorithm) ? RSA
                : EC_BY_CURVE.get(Curve.forJWSAlgorithm(algorithm).iterator().next());

        assertAuthenticated(authenticator.authenticate(TENANT, SOURCE, assertion(claims("jwt-any").build(), key,
                algorithm), null), "jwt-any", ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    @Test
    @DisplayName("M03: an ES256K assertion, which PrivateKeyJWT parses but the metadata does not advertise, is refused")
    void privateKeyJwtWhenAlgorithmNotAdvertisedThenInvalidClient() {
        assertThat(ClientAuthenticator.ASSERTION_SIGNING_ALGORITHMS).doesNotContain(JWSAlgorithm.ES256K);
        assertFailed(authenticator.authenticate(TENANT, SOURCE, params(unsigned("ES256K", "ec-1", "jwt-any")), null),
                "invalid_client");
    }

    @Test
    @DisplayName("B05: an HMAC-signed assertion (client_secret_jwt) is not accepted")
    void privateKeyJwtWhenHmacSignedThenInvalidClient() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("svc").build());
        jwt.sign(new MACSigner(SECRET.repeat(4)));

        assertFailed(authenticator.authenticate(TENANT, SOURCE, params(jwt.serialize()), null), "invalid_client");
    }

    @Test
    @DisplayName("B05: an EdDSA assertion is refused (not supported yet), never accepted unchecked")
    void privateKeyJwtWhenEdDsaThenInvalidClient() {
        assertFailed(authenticator.authenticate(TENANT, SOURCE, params(unsigned("EdDSA", "ed-1", "jwt-rsa")), null),
                "invalid_client");
    }

    @Test
    @DisplayName("B05: a client registered for secrets cannot use private_key_jwt")
    void privateKeyJwtWhenClientNotRegisteredForItThenInvalidClient() {
        assertFailed(authenticator.authenticate(TENANT, SOURCE, assertion(claims("svc").build(), RSA, JWSAlgorithm.RS256), null),
                "invalid_client");
    }

    @Test
    @DisplayName("SECURITY-18: a disabled private_key_jwt client gets unauthorized_client")
    void privateKeyJwtWhenClientDisabledThenUnauthorizedClient() {
        assertFailed(authenticator.authenticate(TENANT, SOURCE, assertion(claims("jwt-off").build(), RSA, JWSAlgorithm.RS256), null),
                "unauthorized_client");
    }

    @Test
    void privateKeyJwtWhenNoAudiencesConfiguredThenInvalidClient() {
        ClientAuthenticator withoutAudiences = ClientAuthenticator.builder().registry(registry).clock(clock).build();

        assertFailed(withoutAudiences.authenticate(TENANT, SOURCE, assertion(claims("jwt-rsa").build(), RSA, JWSAlgorithm.RS256), null),
                "invalid_client");
    }

    @Test
    void privateKeyJwtWhenReplayCacheFullThenRefusedUntilWindowPasses() {
        ClientAuthenticator small = ClientAuthenticator.builder().registry(registry).clock(clock)
                .acceptedAudiences(Set.of(TOKEN_ENDPOINT)).jtiReplayWindow(Duration.ofMinutes(1)).jtiCacheCapacity(1).build();
        assertAuthenticated(small.authenticate(TENANT, SOURCE, oneMinuteAssertion("jwt-rsa", RSA, JWSAlgorithm.RS256), null),
                "jwt-rsa", ClientAuthenticationMethod.PRIVATE_KEY_JWT);

        assertFailed(small.authenticate(TENANT, SOURCE, oneMinuteAssertion("jwt-ec", EC, JWSAlgorithm.ES256), null),
                "invalid_client");

        clock.advance(Duration.ofSeconds(60));
        assertAuthenticated(small.authenticate(TENANT, SOURCE, oneMinuteAssertion("jwt-ec", EC, JWSAlgorithm.ES256), null),
                "jwt-ec", ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    private Map<String, List<String>> oneMinuteAssertion(String clientId, JWK key, JWSAlgorithm algorithm) {
        JWTClaimsSet claims = claims(clientId).expirationTime(Date.from(clock.instant().plusSeconds(60))).build();
        return assertion(claims, key, algorithm);
    }

    // ---------------------------------------------------------------- builder

    @Test
    void buildWhenRegistryMissingThenRejected() {
        assertThatThrownBy(() -> ClientAuthenticator.builder().clock(clock).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("registry");
    }

    @Test
    void buildWhenClockMissingThenRejected() {
        assertThatThrownBy(() -> ClientAuthenticator.builder().registry(registry).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clock");
    }

    @Test
    void builderWhenSettingAssignedTwiceThenRejected() {
        assertThatThrownBy(() -> ClientAuthenticator.builder().clock(clock).clock(clock))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clock");
    }

    @Test
    void buildWhenReplayWindowOutOfRangeThenRejectedNamingRange() {
        assertThatThrownBy(() -> ClientAuthenticator.builder().registry(registry).clock(clock)
                .jtiReplayWindow(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jtiReplayWindow").hasMessageContaining("1 second and 24 hours");
        assertThatThrownBy(() -> ClientAuthenticator.builder().registry(registry).clock(clock)
                .jtiReplayWindow(Duration.ofHours(25)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jtiReplayWindow");
    }

    @Test
    void buildWhenCacheCapacityOutOfRangeThenRejectedNamingRange() {
        assertThatThrownBy(() -> ClientAuthenticator.builder().registry(registry).clock(clock)
                .jtiCacheCapacity(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jtiCacheCapacity").hasMessageContaining("between 1 and");
    }

    @Test
    void buildWhenAudienceRelativeOrEmptyThenRejected() {
        assertThatThrownBy(() -> ClientAuthenticator.builder().registry(registry).clock(clock)
                .acceptedAudiences(Set.of(URI.create("/token"))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acceptedAudiences");
        assertThatThrownBy(() -> ClientAuthenticator.builder().registry(registry).clock(clock)
                .acceptedAudiences(Set.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acceptedAudiences");
    }

    // ---------------------------------------------------------------- helpers

    private static void assertAuthenticated(ClientAuthenticationResult result, String clientId,
                                            ClientAuthenticationMethod method) {
        assertThat(result).isInstanceOfSatisfying(ClientAuthenticationResult.Authenticated.class, ok -> {
            assertThat(ok.client().clientId()).isEqualTo(clientId);
            assertThat(ok.method()).isEqualTo(method);
        });
    }

    private static ErrorObject assertFailed(ClientAuthenticationResult result, String code) {
        assertThat(result).isInstanceOf(ClientAuthenticationResult.Failed.class);
        ErrorObject error = ((ClientAuthenticationResult.Failed) result).error();
        assertThat(error.getCode()).isEqualTo(code);
        return error;
    }

    private JWTClaimsSet.Builder claims(String clientId) {
        return new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(TOKEN_ENDPOINT.toString())
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString());
    }

    private static Map<String, List<String>> assertion(JWTClaimsSet claims, JWK key, JWSAlgorithm algorithm) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key));
            return params(jwt.serialize());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An assertion for {@code clientId} that names {@code alg} and carries 64 zero bytes for a signature. */
    private String unsigned(String alg, String kid, String clientId) {
        String header = Base64URL.encode("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}").toString();
        String payload = Base64URL.encode(claims(clientId).build().toString()).toString();
        return header + "." + payload + "." + Base64URL.encode(new byte[64]);
    }

    private static Map<String, List<String>> params(String clientAssertion) {
        return Map.of("client_assertion_type", List.of(JWT_BEARER), "client_assertion", List.of(clientAssertion));
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + base64(form(clientId) + ":" + form(secret));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc(String kid) {
        return generateEc(kid, Curve.P_256);
    }

    private static ECKey generateEc(String kid, Curve curve) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
