package org.devicegrant.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.JWTAuthentication;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientAuthenticationVerifier;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientCredentialsSelector;
import com.nimbusds.oauth2.sdk.auth.verifier.Context;
import com.nimbusds.oauth2.sdk.auth.verifier.InvalidClientException;
import com.nimbusds.oauth2.sdk.auth.verifier.JWTAudienceCheck;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.devicegrant.clientauth.ClientRegistry;
import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.AttemptLimiter;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates the client of a device authorization or token request (RFC 8628 §3.1 and
 * §3.4, RFC 6749 §2.3 and §3.2.1).
 *
 * <p>Supported methods: {@code none} (a public client sends only {@code client_id}),
 * {@code client_secret_basic}, {@code client_secret_post} and {@code private_key_jwt}
 * (RFC 7523, RSA and EC keys, signed with one of {@link #ASSERTION_SIGNING_ALGORITHMS}). A
 * client is accepted only with a method it is registered for, and only when
 * {@link OAuthClient#enabled()}.
 *
 * <p>Failures never tell an unknown client from a wrong credential: every refusal that
 * depends on what the registry holds carries the same {@code invalid_client} description.
 * Secrets are compared only through {@link ClientSecret#matches(String)}.
 *
 * <p><b>Guessing secrets</b> (RFC 6749 §2.3.1). With an {@link AttemptLimiter}, every request
 * that presents a client secret is decided by it before the secret is checked, in a limiter
 * namespace of its tenant and source address (the request's remote address, as the host
 * determined it), with the named {@code client_id} as the attempt key. So one address gets the
 * limiter's per-key budget for each client id it names (by default 5 failures a minute, then
 * lockouts from 60 s doubling to 15 minutes, and 20 per 10 minutes), and the limiter's tenant-wide
 * budget becomes the address's budget across all the client ids it names (by default 100 failures
 * a minute). A refused attempt answers {@code invalid_client} saying there were too many failures,
 * whatever it presented: a throttled address is refused even the right secret, so that the
 * throttle never confirms a guess. Nothing is budgeted per client alone: failures from one
 * address, under made-up or real client ids, never refuse the same client at another address, so
 * nobody can lock a client out by failing in its name. What is charged depends only on the
 * request, never on whether the client exists. Requests without a remote address all count as one
 * address.
 *
 * <p>This sizing assumes the secrets the host registers are generated, high-entropy credentials
 * (RFC 6749 §10.10 asks at most 2^-128 for a guess of a generated credential): a guesser with many
 * addresses gets 20 guesses per 10 minutes from each, which is hopeless against 128 bits but not
 * against a short human-chosen password. A host that must accept such a secret adds its own limit
 * per client in its {@link ClientSecret}. {@code private_key_jwt} assertions are not budgeted: a
 * signature cannot be guessed, and a wrong one costs one signature check.
 *
 * <p>{@code private_key_jwt} assertions must carry a {@code jti}; each is accepted once within
 * the {@linkplain Builder#jtiReplayWindow(Duration) replay window}, and assertions that live
 * longer than that window are refused, so a remembered {@code jti} always outlives its
 * assertion. The replay cache is in memory and per node. Time comes from the injected clock;
 * the Nimbus verifier additionally refuses assertions that its own system-clock check (with 60
 * seconds of leeway) finds expired.
 *
 * <p>Thread-safe; build one at start-up and share it.
 */
final class ClientAuthenticator {

    // Per-request refusals are driven by whoever sends requests; DEBUG keeps them out of
    // production logs. Only a misconfiguration or a full replay cache is logged at WARN.
    private static final Logger LOG = LoggerFactory.getLogger(ClientAuthenticator.class);

    static final String CLIENT_ID = "client_id";
    static final String CLIENT_SECRET = "client_secret";
    static final String CLIENT_ASSERTION = "client_assertion";
    static final String CLIENT_ASSERTION_TYPE = "client_assertion_type";
    private static final List<String> CREDENTIAL_PARAMETERS =
            List.of(CLIENT_ID, CLIENT_SECRET, CLIENT_ASSERTION, CLIENT_ASSERTION_TYPE);

    static final String AUTHENTICATION_FAILED = "client authentication failed";
    static final String MORE_THAN_ONE_METHOD = "more than one client authentication method";
    static final String AUTHENTICATION_REQUIRED = "client authentication required";
    static final String MALFORMED_AUTHORIZATION_HEADER = "malformed Basic Authorization header";
    static final String CLIENT_ID_MISMATCH = "client_id does not match the Authorization header";
    static final String SECRET_WITHOUT_CLIENT_ID = "client_secret requires client_id";
    static final String ASSERTION_MISSING = "client_assertion_type requires client_assertion";
    static final String UNSUPPORTED_ASSERTION_TYPE = "unsupported client_assertion_type";
    static final String CLIENT_DISABLED = "client is disabled";
    static final String TOO_MANY_ATTEMPTS =
            "too many failed client authentications from this address; try again later";
    /**
     * Start of the limiter namespaces of client-secret budgets: one namespace per tenant and source
     * address, so that no budget is shared between addresses.
     */
    static final String SECRET_BUDGET_PREFIX = "client-secret:";

    /**
     * The algorithms a {@code private_key_jwt} assertion may be signed with: those of RSA and EC
     * keys that the JDK verifies on its own (no ES256K, whose curve it no longer has), and only
     * these, whatever else a security provider added to the JDK could verify. Advertised as
     * {@code *_endpoint_auth_signing_alg_values_supported} (RFC 8414 §2).
     */
    static final List<JWSAlgorithm> ASSERTION_SIGNING_ALGORITHMS = List.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    static final Duration DEFAULT_JTI_REPLAY_WINDOW = Duration.ofMinutes(10);
    static final Duration MAX_JTI_REPLAY_WINDOW = Duration.ofHours(24);
    static final int DEFAULT_JTI_CACHE_CAPACITY = 100_000;
    static final int MAX_JTI_CACHE_CAPACITY = 10_000_000;

    /** Checked when the client is unknown, so that the answer takes as long as a wrong secret. */
    private static final ClientSecret UNKNOWN_CLIENT_SECRET = ClientSecret.sha256("devicegrant-unknown-client");

    private final ClientRegistry registry;
    private final Clock clock;
    private final ClientAuthenticationVerifier<OAuthClient> assertionVerifier;
    private final Duration jtiReplayWindow;
    private final JtiReplayCache jtiReplayCache;
    private final AttemptLimiter secretAttempts;

    private ClientAuthenticator(ClientRegistry registry, Clock clock, Set<URI> acceptedAudiences,
                                Duration jtiReplayWindow, int jtiCacheCapacity, AttemptLimiter secretAttempts) {
        this.registry = registry;
        this.clock = clock;
        this.secretAttempts = secretAttempts;
        this.jtiReplayWindow = jtiReplayWindow;
        this.jtiReplayCache = new JtiReplayCache(jtiCacheCapacity);
        if (acceptedAudiences.isEmpty()) {
            this.assertionVerifier = null;
        } else {
            Set<Audience> audiences = new LinkedHashSet<>();
            acceptedAudiences.forEach(uri -> audiences.add(new Audience(uri.toString())));
            // RFC 7523 §3: for client authentication, the subject MUST be the client_id of the
            // OAuth client (and OpenID Connect Core §9: iss MUST contain the client_id); the
            // authorization server MUST reject any JWT that does not contain its own identity as
            // the intended audience.
            // LEGACY: aud must contain one of the accepted audiences; STRICT would allow the issuer only.
            this.assertionVerifier = new ClientAuthenticationVerifier<>(new RegisteredKeys(), audiences,
                    JWTAudienceCheck.LEGACY);
        }
    }

    /**
     * A builder with nothing set; {@code registry} and {@code clock} are required. Not
     * thread-safe.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Authenticates the client of one request.
     *
     * @param tenant              the tenant the request belongs to; clients are looked up in it
     * @param source              the address the request came from, as the host determined it, or
     *                            null when unknown; client-secret failures are budgeted per source
     * @param params              the request's body parameters; a repeated {@code client_id},
     *                            {@code client_secret}, {@code client_assertion} or
     *                            {@code client_assertion_type} gives {@code invalid_request};
     *                            an empty value counts as absent (RFC 6749 §3.1)
     * @param authorizationHeader the raw {@code Authorization} header value, or null
     * @return {@link ClientAuthenticationResult.Authenticated}, or
     *         {@link ClientAuthenticationResult.Failed} for any bad input
     * @throws org.devicegrant.storage.StoreUnavailableException when the registry fails
     * @throws NullPointerException if {@code tenant} or {@code params} is null
     */
    public ClientAuthenticationResult authenticate(String tenant, String source, Map<String, List<String>> params,
                                                   String authorizationHeader) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(params, "params");
        boolean usedHeader = authorizationHeader != null;
        for (String name : CREDENTIAL_PARAMETERS) {
            List<String> values = params.get(name);
            if (values != null && values.size() > 1) {
                // RFC 6749 §3.2: Request and response parameters MUST NOT be included more than once.
                return failed(OAuth2Error.INVALID_REQUEST, "repeated parameter " + name, usedHeader);
            }
        }
        String clientId = single(params, CLIENT_ID);
        boolean postsSecret = single(params, CLIENT_SECRET) != null;
        boolean postsAssertion = single(params, CLIENT_ASSERTION) != null || single(params, CLIENT_ASSERTION_TYPE) != null;
        int methods = (usedHeader ? 1 : 0) + (postsSecret ? 1 : 0) + (postsAssertion ? 1 : 0);
        if (methods > 1) {
            // RFC 6749 §2.3: The client MUST NOT use more than one authentication method in each request.
            return failed(OAuth2Error.INVALID_REQUEST, MORE_THAN_ONE_METHOD, usedHeader);
        }
        if (usedHeader) {
            return basic(tenant, source, authorizationHeader, clientId);
        }
        if (postsSecret) {
            return post(tenant, source, params, clientId);
        }
        if (postsAssertion) {
            return privateKeyJwt(tenant, params);
        }
        return none(tenant, clientId);
    }

    private ClientAuthenticationResult none(String tenant, String clientId) {
        if (clientId == null) {
            return failed(OAuth2Error.INVALID_CLIENT, AUTHENTICATION_REQUIRED, false);
        }
        Optional<OAuthClient> found = registry.find(tenant, clientId);
        if (found.isEmpty()) {
            return refused("unknown client", false);
        }
        OAuthClient client = found.get();
        if (!client.authenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
            // RFC 6749 §3.2.1: Confidential clients or other clients issued client credentials
            // MUST authenticate with the authorization server.
            return refused(client, "confidential client sent no credentials", false);
        }
        return accepted(client, ClientAuthenticationMethod.NONE, false);
    }

    private ClientAuthenticationResult basic(String tenant, String source, String authorizationHeader,
                                             String bodyClientId) {
        ClientSecretBasic basic;
        try {
            // RFC 6749 §2.3.1: the client identifier and password are encoded using the
            // application/x-www-form-urlencoded algorithm before Basic encoding; parse decodes both.
            basic = ClientSecretBasic.parse(authorizationHeader);
        } catch (ParseException | RuntimeException e) {
            return failed(OAuth2Error.INVALID_CLIENT, MALFORMED_AUTHORIZATION_HEADER, true);
        }
        if (bodyClientId != null && !bodyClientId.equals(basic.getClientID().getValue())) {
            return failed(OAuth2Error.INVALID_REQUEST, CLIENT_ID_MISMATCH, true);
        }
        return secret(tenant, source, basic, true);
    }

    private ClientAuthenticationResult post(String tenant, String source, Map<String, List<String>> params,
                                            String clientId) {
        if (clientId == null) {
            return failed(OAuth2Error.INVALID_REQUEST, SECRET_WITHOUT_CLIENT_ID, false);
        }
        ClientSecretPost post;
        try {
            post = ClientSecretPost.parse(params);
        } catch (ParseException | RuntimeException e) {
            return refused("malformed client_secret_post credentials", false);
        }
        return secret(tenant, source, post, false);
    }

    private ClientAuthenticationResult secret(String tenant, String source, PlainClientSecret credentials,
                                              boolean usedHeader) {
        if (secretAttempts == null) {
            return checkSecret(tenant, credentials, usedHeader);
        }
        // RFC 6749 §2.3.1: the authorization server MUST protect any endpoint utilizing password
        // authentication from brute force attacks. The guessing address is throttled, never the
        // client it names; the namespace keeps these budgets apart from the user-code budgets.
        String namespace = SECRET_BUDGET_PREFIX
                + digest(tenant.length() + ":" + tenant + SourceAddress.key(source));
        String key = digest(credentials.getClientID().getValue());
        AttemptDecision decision = secretAttempts.tryAcquire(namespace, key, clock.instant());
        if (!decision.allowed()) {
            LOG.debug("client secret attempts from one address refused for {} s", decision.retryAfter().toSeconds());
            return failed(OAuth2Error.INVALID_CLIENT, TOO_MANY_ATTEMPTS, usedHeader);
        }
        ClientAuthenticationResult result = checkSecret(tenant, credentials, usedHeader);
        if (result instanceof ClientAuthenticationResult.Authenticated) {
            secretAttempts.recordSuccess(namespace, key, clock.instant());
        }
        return result;
    }

    /**
     * SHA-256 of {@code value}, base64url: a limiter name of fixed length (43 characters) whatever
     * the request sent, so that a long made-up {@code client_id} costs the limiter no more memory
     * (nor a database column more width) than a short one.
     */
    private static String digest(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    private ClientAuthenticationResult checkSecret(String tenant, PlainClientSecret credentials, boolean usedHeader) {
        String presented = credentials.getClientSecret().getValue();
        Optional<OAuthClient> found = registry.find(tenant, credentials.getClientID().getValue());
        if (found.isEmpty()) {
            UNKNOWN_CLIENT_SECRET.matches(presented);
            return refused("unknown client", usedHeader);
        }
        OAuthClient client = found.get();
        if (!client.authenticationMethods().contains(credentials.getMethod())) {
            return refused(client, "method " + credentials.getMethod() + " not registered", usedHeader);
        }
        if (client.secret() == null || !client.secret().matches(presented)) {
            return refused(client, "wrong secret", usedHeader);
        }
        return accepted(client, credentials.getMethod(), usedHeader);
    }

    private ClientAuthenticationResult privateKeyJwt(String tenant, Map<String, List<String>> params) {
        if (single(params, CLIENT_ASSERTION) == null) {
            return failed(OAuth2Error.INVALID_REQUEST, ASSERTION_MISSING, false);
        }
        if (!JWTAuthentication.CLIENT_ASSERTION_TYPE.equals(single(params, CLIENT_ASSERTION_TYPE))) {
            // RFC 7521 §4.2: client_assertion_type is REQUIRED; RFC 7523 §2.2: its value is
            // urn:ietf:params:oauth:client-assertion-type:jwt-bearer.
            return failed(OAuth2Error.INVALID_CLIENT, UNSUPPORTED_ASSERTION_TYPE, false);
        }
        PrivateKeyJWT assertion;
        try {
            assertion = PrivateKeyJWT.parse(params);
        } catch (ParseException | RuntimeException e) {
            return refused("malformed client assertion or unsupported algorithm", false);
        }
        if (!ASSERTION_SIGNING_ALGORITHMS.contains(assertion.getClientAssertion().getHeader().getAlgorithm())) {
            return refused("client assertion algorithm not advertised", false);
        }
        Optional<OAuthClient> found = registry.find(tenant, assertion.getClientID().getValue());
        if (found.isEmpty()) {
            return refused("unknown client", false);
        }
        OAuthClient client = found.get();
        if (!client.authenticationMethods().contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                || client.jwkSet() == null) {
            return refused(client, "method private_key_jwt not registered", false);
        }
        if (assertionVerifier == null) {
            LOG.warn("client {} uses private_key_jwt but no accepted audiences are configured", client.clientId());
            return refused(client, "no accepted audiences", false);
        }
        Context<OAuthClient> context = new Context<>();
        context.set(client);
        try {
            assertionVerifier.verify(assertion, null, context);
        } catch (InvalidClientException | JOSEException | RuntimeException e) {
            return refused(client, "assertion rejected: " + e.getMessage(), false);
        }
        return checkAssertionTime(tenant, client, assertion.getJWTAuthenticationClaimsSet());
    }

    private ClientAuthenticationResult checkAssertionTime(String tenant, OAuthClient client,
                                                          JWTAuthenticationClaimsSet claims) {
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)) {
            // RFC 7523 §3: The authorization server MUST reject any JWT with an expiration time that has passed.
            return refused(client, "assertion expired", false);
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now)) {
            // RFC 7523 §3: nbf identifies the time before which the token MUST NOT be accepted for processing.
            return refused(client, "assertion not yet valid", false);
        }
        Instant forgetAt = now.plus(jtiReplayWindow);
        if (claims.getExpirationTime().toInstant().isAfter(forgetAt)) {
            return refused(client, "assertion lives longer than the jti replay window", false);
        }
        if (claims.getJWTID() == null) {
            return refused(client, "assertion has no jti", false);
        }
        JtiReplayCache.Key key = new JtiReplayCache.Key(tenant, client.clientId(), claims.getJWTID().getValue());
        // RFC 7523 §3: the authorization server MAY ensure that JWTs are not replayed by
        // maintaining the set of used jti values for the length of time for which the JWT would
        // be considered valid based on the applicable exp instant.
        return switch (jtiReplayCache.markUsed(key, forgetAt, now)) {
            case FIRST_USE -> accepted(client, ClientAuthenticationMethod.PRIVATE_KEY_JWT, false);
            case REPLAYED -> refused(client, "assertion jti replayed", false);
            case FULL -> {
                LOG.warn("jti replay cache full; refusing private_key_jwt of client {}", client.clientId());
                yield refused(client, "jti replay cache full", false);
            }
        };
    }

    private static ClientAuthenticationResult accepted(OAuthClient client, ClientAuthenticationMethod method,
                                                       boolean usedHeader) {
        if (!client.enabled()) {
            LOG.debug("client {} authenticated with {} but is disabled", client.clientId(), method);
            return failed(OAuth2Error.UNAUTHORIZED_CLIENT, CLIENT_DISABLED, usedHeader);
        }
        return new ClientAuthenticationResult.Authenticated(client, method);
    }

    private static ClientAuthenticationResult refused(String reason, boolean usedHeader) {
        LOG.debug("client authentication failed: {}", reason);
        return failed(OAuth2Error.INVALID_CLIENT, AUTHENTICATION_FAILED, usedHeader);
    }

    private static ClientAuthenticationResult refused(OAuthClient client, String reason, boolean usedHeader) {
        LOG.debug("client authentication of {} failed: {}", client.clientId(), reason);
        return failed(OAuth2Error.INVALID_CLIENT, AUTHENTICATION_FAILED, usedHeader);
    }

    private static ClientAuthenticationResult failed(ErrorObject code, String description, boolean usedHeader) {
        return new ClientAuthenticationResult.Failed(code.setDescription(description), usedHeader);
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Hands Nimbus the public keys of the client carried in the verification context. */
    private static final class RegisteredKeys implements ClientCredentialsSelector<OAuthClient> {

        @Override
        public List<Secret> selectClientSecrets(ClientID clientID, ClientAuthenticationMethod method,
                                                Context<OAuthClient> context) throws InvalidClientException {
            throw InvalidClientException.NOT_REGISTERED_FOR_AUTH_METHOD;
        }

        @Override
        public List<? extends PublicKey> selectPublicKeys(ClientID clientID, ClientAuthenticationMethod method,
                                                          JWSHeader header, boolean forceRefresh,
                                                          Context<OAuthClient> context)
                throws InvalidClientException {
            OAuthClient client = context.get();
            if (client == null || !client.clientId().equals(clientID.getValue()) || client.jwkSet() == null) {
                throw InvalidClientException.BAD_ID;
            }
            List<PublicKey> keys = new ArrayList<>();
            for (JWK jwk : new JWKSelector(JWKMatcher.forJWSHeader(header)).select(client.jwkSet())) {
                try {
                    if (jwk instanceof RSAKey rsa) {
                        keys.add(rsa.toRSAPublicKey());
                    } else if (jwk instanceof ECKey ec) {
                        keys.add(ec.toECPublicKey());
                    }
                } catch (JOSEException e) {
                    LOG.debug("skipping unusable key of client {}", client.clientId());
                }
            }
            if (keys.isEmpty()) {
                throw InvalidClientException.NO_MATCHING_JWK;
            }
            return keys;
        }
    }

    /**
     * Configures a {@link ClientAuthenticator}. Each setting may be set once; {@link #build()}
     * checks that the required ones are there. Not thread-safe.
     */
    public static final class Builder {
        private ClientRegistry registry;
        private Clock clock;
        private Set<URI> acceptedAudiences;
        private Duration jtiReplayWindow;
        private Integer jtiCacheCapacity;
        private AttemptLimiter secretAttempts;

        private Builder() {
        }

        /**
         * Budgets for client secret guesses per source address and per (address, client id)
         * (RFC 6749 §2.3.1), kept in the limiter under a namespace per tenant and address that
         * starts with {@code client-secret:}. Optional; without it secrets are not rate-limited here.
         */
        public Builder attemptLimiter(AttemptLimiter limiter) {
            this.secretAttempts = Setting.once(this.secretAttempts, limiter, "attemptLimiter");
            return this;
        }

        /** Where clients are looked up. Required. */
        public Builder registry(ClientRegistry registry) {
            this.registry = Setting.once(this.registry, registry, "registry");
            return this;
        }

        /** The clock that decides whether a client assertion has expired. Required. */
        public Builder clock(Clock clock) {
            this.clock = Setting.once(this.clock, clock, "clock");
            return this;
        }

        /**
         * The {@code aud} values a client assertion may carry: the issuer identifier and the
         * endpoint URLs, as absolute URIs compared exactly. Required, non-empty, when any client
         * uses {@code private_key_jwt}; without it every assertion is refused.
         */
        public Builder acceptedAudiences(Set<URI> acceptedAudiences) {
            this.acceptedAudiences = Setting.once(this.acceptedAudiences,
                    Set.copyOf(Objects.requireNonNull(acceptedAudiences, "acceptedAudiences")), "acceptedAudiences");
            return this;
        }

        /**
         * How long the {@code jti} of an accepted assertion is remembered; assertions whose
         * {@code exp} lies further ahead are refused. Default 10 minutes; 1 second to 24 hours.
         */
        public Builder jtiReplayWindow(Duration jtiReplayWindow) {
            this.jtiReplayWindow = Setting.once(this.jtiReplayWindow, jtiReplayWindow, "jtiReplayWindow");
            return this;
        }

        /**
         * How many {@code jti} values this node remembers at most; when full, new assertions
         * are refused until old ones age out. Default 100,000; 1 to 10,000,000.
         */
        public Builder jtiCacheCapacity(int jtiCacheCapacity) {
            this.jtiCacheCapacity = Setting.once(this.jtiCacheCapacity, jtiCacheCapacity, "jtiCacheCapacity");
            return this;
        }

        /**
         * The authenticator.
         *
         * @throws IllegalStateException    if {@code registry} or {@code clock} is missing
         * @throws IllegalArgumentException if a setting is outside its allowed range
         */
        public ClientAuthenticator build() {
            if (registry == null) {
                throw new IllegalStateException("registry is required");
            }
            if (clock == null) {
                throw new IllegalStateException("clock is required");
            }
            Set<URI> audiences = acceptedAudiences == null ? Set.of() : acceptedAudiences;
            Setting.require(acceptedAudiences == null || !acceptedAudiences.isEmpty(), "acceptedAudiences",
                    "non-empty when set", "an empty set");
            for (URI audience : audiences) {
                Setting.require(audience.isAbsolute(), "acceptedAudiences", "absolute URIs", audience);
            }
            Duration window = jtiReplayWindow == null ? DEFAULT_JTI_REPLAY_WINDOW : jtiReplayWindow;
            Setting.require(window.compareTo(Duration.ofSeconds(1)) >= 0 && window.compareTo(MAX_JTI_REPLAY_WINDOW) <= 0,
                    "jtiReplayWindow", "between 1 second and 24 hours", window);
            int capacity = jtiCacheCapacity == null ? DEFAULT_JTI_CACHE_CAPACITY : jtiCacheCapacity;
            Setting.inRange(capacity, 1, MAX_JTI_CACHE_CAPACITY, "jtiCacheCapacity");
            return new ClientAuthenticator(registry, clock, audiences, window, capacity, secretAttempts);
        }
    }
}
