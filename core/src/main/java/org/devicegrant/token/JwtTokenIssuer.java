package org.devicegrant.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.devicegrant.internal.IssuerIdentifier;
import org.devicegrant.internal.Setting;

import java.net.URI;
import java.text.ParseException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The default {@link TokenIssuer}: a signed JWT access token in the RFC 9068 profile, an
 * OpenID Connect ID token when {@code openid} is granted. Refresh tokens are not its business: the
 * grant mints them itself when it keeps grants ({@link org.devicegrant.Issuance#withGrants}).
 *
 * <p>Signs with RS256 (RSA of at least 2048 bits), ES256 (EC P-256) or EdDSA (Ed25519, through
 * the JDK's own {@code Ed25519} signature). Claims the host passes in
 * {@link TokenIssuanceRequest#claims()} are added to both tokens, except that they never replace a
 * claim this issuer sets ({@code iss sub aud exp iat nbf jti client_id scope typ auth_time azp}):
 * such keys are ignored.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class JwtTokenIssuer implements TokenIssuer {

    /**
     * The access-token claim that names the grant the token was issued under (the id of the
     * redeemed device authorization), so that revocation and introspection can trace a token to its
     * grant (a private claim, as RFC 9068 §2.2 allows).
     */
    public static final String GRANT_ID_CLAIM = "grant_id";

    /** RFC 9068 §2.1: the {@code typ} header of a JWT access token. */
    static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    static final Set<String> PROTECTED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id",
            "scope", "typ", "auth_time", "azp");
    static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    static final Duration MAX_LIFETIME = Duration.ofHours(24);
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);
    static final int JTI_BYTES = 16;
    private static final String OPENID = "openid";

    private final String issuer;
    private final String audience;
    private final SigningKey signingKey;
    private final JWKSet publicJwkSet;
    private final Duration accessTokenLifetime;
    private final Duration idTokenLifetime;
    private final Clock clock;
    private final SecureRandom random;
    private final JWSHeader accessTokenHeader;
    private final JWSHeader idTokenHeader;

    private JwtTokenIssuer(Builder builder, SigningKey signingKey, JWKSet publicJwkSet) {
        this.issuer = builder.issuer.toString();
        this.audience = builder.audience == null ? issuer : builder.audience;
        this.signingKey = signingKey;
        this.publicJwkSet = publicJwkSet;
        this.accessTokenLifetime = builder.accessTokenLifetime == null ? DEFAULT_LIFETIME : builder.accessTokenLifetime;
        this.idTokenLifetime = builder.idTokenLifetime == null ? DEFAULT_LIFETIME : builder.idTokenLifetime;
        this.clock = builder.clock;
        this.random = builder.random;
        this.accessTokenHeader = new JWSHeader.Builder(signingKey.algorithm()).type(ACCESS_TOKEN_TYPE)
                .keyID(signingKey.keyId()).build();
        this.idTokenHeader = new JWSHeader.Builder(signingKey.algorithm()).type(JOSEObjectType.JWT)
                .keyID(signingKey.keyId()).build();
    }

    /** A new builder; see {@link Builder} for the settings, their defaults and allowed ranges. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Signs an access token and an ID token if {@code openid} was granted; never a refresh token
     * (the grant adds its own). No side effects. {@code iat} is this issuer's clock reading, to the
     * second.
     *
     * @throws TokenIssuanceException signing failed
     * @throws NullPointerException   {@code request} is null
     */
    @Override
    public IssuedTokens issue(TokenIssuanceRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String accessToken = sign(accessTokenHeader, accessTokenClaims(request, now), "access token");
        // OpenID Connect Core §3.1.2.1: an ID token only when the user granted "openid".
        String idToken = request.grantedScopes().contains(OPENID)
                ? sign(idTokenHeader, idTokenClaims(request, now), "ID token")
                : null;
        return new IssuedTokens(accessToken, "Bearer", accessTokenLifetime, null, idToken, request.grantedScopes());
    }

    /**
     * Reads back an access token this issuer signed: a JWS with {@code typ at+jwt} (RFC 9068 §4), this
     * issuer's algorithm and a valid signature of its current signing key, {@code iss} this issuer,
     * and {@code exp} after this issuer's clock reading. Tokens signed by a previous key (one of the
     * {@code verificationKeys}) are not read back. One issuer serves every tenant it is used for, so
     * the tenant is not checked here; the grant a token names is looked up in its tenant.
     *
     * @return the token's claims, or empty for anything else (malformed, foreign, forged, expired)
     */
    @Override
    public Optional<IssuedAccessToken> inspect(String tenant, String accessToken) {
        if (accessToken == null || accessToken.isEmpty()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(accessToken);
            JWSHeader header = jwt.getHeader();
            // RFC 9068 §4: resource servers MUST verify that the typ header value is "at+jwt"
            if (!ACCESS_TOKEN_TYPE.equals(header.getType()) || !signingKey.algorithm().equals(header.getAlgorithm())
                    || !jwt.verify(signingKey.verifier())) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            Date issued = claims.getIssueTime();
            String clientId = claims.getStringClaim("client_id");
            if (!issuer.equals(claims.getIssuer()) || expires == null || issued == null || claims.getSubject() == null
                    || clientId == null || !clock.instant().isBefore(expires.toInstant())) {
                return Optional.empty();
            }
            String scope = claims.getStringClaim("scope");
            Set<String> scopes = scope == null || scope.isBlank() ? Set.of() : Set.of(scope.trim().split(" +"));
            return Optional.of(new IssuedAccessToken(issuer, claims.getSubject(), clientId, scopes,
                    issued.toInstant(), expires.toInstant(), claims.getStringClaim(GRANT_ID_CLAIM), "Bearer"));
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The public parts of the signing key and of every additional verification key, for the
     * {@code jwks_uri} document. Never contains a private member. Immutable.
     */
    public JWKSet publicJwkSet() {
        return publicJwkSet;
    }

    /** The JWS algorithm of the signing key: RS256, ES256 or EdDSA. */
    public JWSAlgorithm algorithm() {
        return signingKey.algorithm();
    }

    private JWTClaimsSet accessTokenClaims(TokenIssuanceRequest request, Instant now) {
        // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat and jti are REQUIRED; auth_time when known.
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(request.subject())
                .audience(audience)
                .claim("client_id", request.client().clientId())
                .claim(GRANT_ID_CLAIM, request.authorizationId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(accessTokenLifetime)))
                .jwtID(newJwtId());
        if (!request.grantedScopes().isEmpty()) {
            // RFC 9068 §2.2.3: scope is a space-delimited string (RFC 8693 §4.2).
            claims.claim("scope", String.join(" ", new TreeSet<>(request.grantedScopes())));
        }
        addAuthTimeAndHostClaims(claims, request);
        return claims.build();
    }

    private JWTClaimsSet idTokenClaims(TokenIssuanceRequest request, Instant now) {
        // OpenID Connect Core §2: iss, sub, aud (containing the client_id), exp and iat are REQUIRED.
        String clientId = request.client().clientId();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(request.subject())
                .audience(clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(idTokenLifetime)))
                .claim("azp", clientId);
        addAuthTimeAndHostClaims(claims, request);
        return claims.build();
    }

    private static void addAuthTimeAndHostClaims(JWTClaimsSet.Builder claims, TokenIssuanceRequest request) {
        if (request.authTime() != null) {
            claims.claim("auth_time", request.authTime().getEpochSecond());
        }
        for (Map.Entry<String, Object> claim : request.claims().entrySet()) {
            if (!PROTECTED_CLAIMS.contains(claim.getKey())) {
                claims.claim(claim.getKey(), claim.getValue());
            }
        }
    }

    private String sign(JWSHeader header, JWTClaimsSet claims, String what) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signingKey.signer());
        } catch (JOSEException e) {
            throw new TokenIssuanceException("signing the " + what + " with key " + signingKey.keyId() + " failed", e);
        }
        return jwt.serialize();
    }

    private String newJwtId() {
        byte[] bytes = new byte[JTI_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Configures a {@link JwtTokenIssuer}. Each setting may be set once; a second call throws
     * {@link IllegalStateException}. {@link #build()} checks every setting and throws
     * {@link org.devicegrant.InvalidSettingException} (an {@link IllegalArgumentException})
     * naming the setting and its allowed range. Not thread-safe.
     *
     * <ul>
     *   <li>{@code issuer}: required; an {@code https} URL with a host and no query, fragment
     *       or user info ({@code http} only for {@code localhost}, {@code 127.0.0.1} and
     *       {@code [::1]}), checked as the grant checks its own issuer.</li>
     *   <li>{@code signingKey}: required; RSA of at least 2048 bits (RS256), EC P-256 (ES256)
     *       or OKP Ed25519 (EdDSA), with its private part. Without a {@code kid}, the RFC 7638
     *       thumbprint becomes the {@code kid}.</li>
     *   <li>{@code verificationKeys}: optional; published in {@link #publicJwkSet()} beside
     *       the signing key, e.g. the previous key during rotation. Never symmetric.</li>
     *   <li>{@code audience}: the access token's {@code aud}; default the issuer string.</li>
     *   <li>{@code accessTokenLifetime}, {@code idTokenLifetime}: 1 minute to 24 hours;
     *       default 10 minutes.</li>
     *   <li>{@code clock}, {@code random}: required.</li>
     * </ul>
     */
    public static final class Builder {
        private URI issuer;
        private Supplier<JWK> signingKey;
        private List<JWK> verificationKeys;
        private String audience;
        private Duration accessTokenLifetime;
        private Duration idTokenLifetime;
        private Clock clock;
        private SecureRandom random;

        private Builder() {
        }

        /** The {@code iss} of every token. Required. */
        public Builder issuer(URI issuer) {
            this.issuer = Setting.once(this.issuer, issuer, "issuer");
            return this;
        }

        /** The private key that signs, as a JWK. Required (or {@link #signingKey(KeyPair, String)}). */
        public Builder signingKey(JWK signingKey) {
            Objects.requireNonNull(signingKey, "signingKey");
            this.signingKey = Setting.once(this.signingKey, () -> signingKey, "signingKey");
            return this;
        }

        /**
         * The key pair that signs, as JDK keys: RSA, EC P-256 or Ed25519 (e.g. from
         * {@code KeyPairGenerator.getInstance("Ed25519")}). Required (or {@link #signingKey(JWK)}).
         *
         * @param keyId the {@code kid}; null derives the RFC 7638 thumbprint
         */
        public Builder signingKey(KeyPair keyPair, String keyId) {
            Objects.requireNonNull(keyPair, "keyPair");
            this.signingKey = Setting.once(this.signingKey, () -> SigningKey.fromKeyPair(keyPair, keyId), "signingKey");
            return this;
        }

        /** Further public keys to publish, e.g. the previous signing key during rotation. */
        public Builder verificationKeys(JWK... keys) {
            this.verificationKeys = Setting.once(this.verificationKeys, List.of(keys), "verificationKeys");
            return this;
        }

        /** The access token's {@code aud}. Default: the issuer string. */
        public Builder audience(String audience) {
            this.audience = Setting.once(this.audience, audience, "audience");
            return this;
        }

        /** The access token's lifetime, 1 minute to 24 hours. Default 10 minutes. */
        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = Setting.once(this.accessTokenLifetime, lifetime, "accessTokenLifetime");
            return this;
        }

        /** The ID token's lifetime, 1 minute to 24 hours. Default 10 minutes. */
        public Builder idTokenLifetime(Duration lifetime) {
            this.idTokenLifetime = Setting.once(this.idTokenLifetime, lifetime, "idTokenLifetime");
            return this;
        }

        /** Where {@code iat} and {@code exp} come from. Required. */
        public Builder clock(Clock clock) {
            this.clock = Setting.once(this.clock, clock, "clock");
            return this;
        }

        /** Where {@code jti} values come from. Required. */
        public Builder random(SecureRandom random) {
            this.random = Setting.once(this.random, random, "random");
            return this;
        }

        /**
         * Checks every setting and builds the issuer. Proves the signing key with a test
         * signature.
         *
         * @throws IllegalArgumentException a setting is missing or outside its allowed range;
         *                                  the message names the setting
         */
        public JwtTokenIssuer build() {
            IssuerIdentifier.check(issuer, "issuer");
            if (audience != null) {
                Setting.require(!audience.isBlank(), "audience", "a non-blank string (default: the issuer)", "blank");
            }
            if (accessTokenLifetime != null) {
                Setting.inRange(accessTokenLifetime, MIN_LIFETIME, MAX_LIFETIME, "accessTokenLifetime");
            }
            if (idTokenLifetime != null) {
                Setting.inRange(idTokenLifetime, MIN_LIFETIME, MAX_LIFETIME, "idTokenLifetime");
            }
            Setting.required(clock, "clock", "a Clock, e.g. Clock.systemUTC()");
            Setting.required(random, "random", "a SecureRandom");
            SigningKey signing = SigningKey.of(signingKey == null ? null : signingKey.get(), random);
            return new JwtTokenIssuer(this, signing, publicKeys(signing));
        }

        private JWKSet publicKeys(SigningKey signing) {
            List<JWK> published = new ArrayList<>();
            published.add(signing.jwk().toPublicJWK());
            Set<String> keyIds = new HashSet<>();
            keyIds.add(signing.keyId());
            for (JWK key : verificationKeys == null ? List.<JWK>of() : verificationKeys) {
                if (key == null) {
                    throw new IllegalArgumentException("verificationKeys must not contain null");
                }
                if (key instanceof OctetSequenceKey) {
                    throw new IllegalArgumentException("verificationKeys must be RSA, EC or OKP public keys, got a symmetric (oct) key");
                }
                JWK publicKey = key.toPublicJWK();
                String keyId = publicKey.getKeyID() == null || publicKey.getKeyID().isEmpty()
                        ? SigningKey.thumbprint(publicKey) : publicKey.getKeyID();
                if (!keyIds.add(keyId)) {
                    throw new IllegalArgumentException("verificationKeys: kid " + keyId + " is used by more than one key");
                }
                published.add(withKeyId(publicKey, keyId));
            }
            return new JWKSet(published);
        }

        private static JWK withKeyId(JWK publicKey, String keyId) {
            if (keyId.equals(publicKey.getKeyID())) {
                return publicKey;
            }
            Map<String, Object> json = publicKey.toJSONObject();
            json.put("kid", keyId);
            try {
                return JWK.parse(json);
            } catch (ParseException e) {
                throw new IllegalArgumentException("verificationKeys: cannot set the kid of a " + publicKey.getKeyType() + " key", e);
            }
        }
    }
}
