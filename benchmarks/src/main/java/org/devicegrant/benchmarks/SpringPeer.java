package org.devicegrant.benchmarks;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Our driver of the performance peer, Spring Authorization Server, in-process and without HTTP
 * (PEER-BENCH.md): its four device-grant authentication providers over a
 * {@code RegisteredClientRepository} and one of its {@code OAuth2AuthorizationService}s. The
 * driver does what Spring's filters and converters would do around each provider: find the
 * registered client, present it as an authenticated public client, and turn an
 * {@link OAuth2AuthenticationException} into its error code.
 *
 * <p>Spring's own public-client authentication only accepts authorization-code requests with a
 * PKCE verifier, so a device client needs an authentication provider of the host's; the driver
 * stands in for it by building the authenticated client token from the repository's client.
 *
 * <p>Thread-safe as far as the chosen store is (the in-memory one is not fully: PEER-BENCH.md).
 */
final class SpringPeer implements AutoCloseable {

    /** The peer's stores. */
    enum Store {
        /** {@code InMemoryOAuth2AuthorizationService()}: keeps at most 100 pending authorizations. */
        MEMORY_CAPPED,
        /** The same store through its package-private constructor, with no practical cap. */
        MEMORY_UNCAPPED,
        /** {@code JdbcOAuth2AuthorizationService} on embedded H2 with the schema Spring ships (codes in BLOBs). */
        JDBC_SHIPPED,
        /** The same with the code and state columns as indexed VARCHARs. */
        JDBC_INDEXED
    }

    static final String CLIENT_ID = "tv-app";
    static final String AUTHORIZATION_URI = "https://id.example.com/oauth2/device_authorization";
    static final Set<String> REQUESTED_SCOPES = Set.of("profile", "email");
    private static final OAuth2TokenType DEVICE_CODE = new OAuth2TokenType(OAuth2ParameterNames.DEVICE_CODE);
    private static final OAuth2TokenType USER_CODE = new OAuth2TokenType(OAuth2ParameterNames.USER_CODE);
    private static final String SCHEMA = "/org/springframework/security/oauth2/server/authorization/"
            + "oauth2-authorization-schema.sql";
    private static final String CONSENT_SCHEMA = "/org/springframework/security/oauth2/server/authorization/"
            + "oauth2-authorization-consent-schema.sql";

    /** The device and user codes Spring issued for one request. */
    record Codes(String deviceCode, String userCode) {
    }

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2DeviceAuthorizationRequestAuthenticationProvider requestProvider;
    private final OAuth2DeviceVerificationAuthenticationProvider verificationProvider;
    private final OAuth2DeviceAuthorizationConsentAuthenticationProvider consentProvider;
    private final OAuth2DeviceCodeAuthenticationProvider deviceCodeProvider;
    private final AuthorizationServerContext context;
    private final Authentication user = UsernamePasswordAuthenticationToken.authenticated("alice", null,
            AuthorityUtils.createAuthorityList("ROLE_USER"));
    private final JdbcConnectionPool database;

    /**
     * @param algorithm RS256 or ES256: how Spring signs its access tokens
     */
    SpringPeer(Store store, Algorithm algorithm, SecureRandom random) {
        if (algorithm == Algorithm.EdDSA) {
            throw new IllegalArgumentException("Spring's JWT encoder is driven with RS256 or ES256 only");
        }
        RegisteredClient client = RegisteredClient.withId("client-1")
                .clientId(CLIENT_ID)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                .scope("profile").scope("email").scope("offline_access")
                .clientSettings(ClientSettings.builder().requireAuthorizationConsent(true).build())
                // the codes must outlive a benchmark fork: Spring checks expiry against the wall clock
                .tokenSettings(TokenSettings.builder().deviceCodeTimeToLive(Duration.ofHours(2)).build())
                .build();
        this.clients = new InMemoryRegisteredClientRepository(client);
        OAuth2AuthorizationConsentService consents;
        if (store == Store.JDBC_SHIPPED || store == Store.JDBC_INDEXED) {
            database = JdbcConnectionPool.create("jdbc:h2:mem:spring-" + Prefill.randomBase64(random, 9)
                    + ";DB_CLOSE_DELAY=-1", "sa", "");
            JdbcTemplate jdbc = new JdbcTemplate(database);
            String schema = resource(SCHEMA);
            if (store == Store.JDBC_INDEXED) {
                schema = schema.replace("user_code_value blob", "user_code_value varchar(100)")
                        .replace("device_code_value blob", "device_code_value varchar(200)");
            }
            jdbc.execute(schema);
            if (store == Store.JDBC_INDEXED) {
                jdbc.execute("CREATE INDEX oauth2_authorization_user_code ON oauth2_authorization (user_code_value)");
                jdbc.execute("CREATE INDEX oauth2_authorization_device_code ON oauth2_authorization (device_code_value)");
                jdbc.execute("CREATE INDEX oauth2_authorization_state ON oauth2_authorization (state)");
            }
            jdbc.execute(resource(CONSENT_SCHEMA));
            authorizations = new JdbcOAuth2AuthorizationService(jdbc, clients);
            consents = new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
        } else {
            database = null;
            authorizations = store == Store.MEMORY_CAPPED ? new InMemoryOAuth2AuthorizationService() : uncapped();
            consents = new InMemoryOAuth2AuthorizationConsentService();
        }
        requestProvider = new OAuth2DeviceAuthorizationRequestAuthenticationProvider(authorizations);
        verificationProvider = new OAuth2DeviceVerificationAuthenticationProvider(clients, authorizations, consents);
        consentProvider = new OAuth2DeviceAuthorizationConsentAuthenticationProvider(clients, authorizations, consents);
        JwtGenerator tokens = new JwtGenerator(new NimbusJwtEncoder(new ImmutableJWKSet<SecurityContext>(
                new JWKSet(jwk(algorithm, algorithm.newKeyPair(random))))));
        if (algorithm == Algorithm.ES256) {
            tokens.setJwtCustomizer(jwt -> jwt.getJwsHeader().algorithm(SignatureAlgorithm.ES256));
        }
        deviceCodeProvider = new OAuth2DeviceCodeAuthenticationProvider(authorizations, tokens);
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder()
                .issuer(Wiring.ISSUER.toString()).build();
        context = new AuthorizationServerContext() {
            @Override
            public String getIssuer() {
                return settings.getIssuer();
            }

            @Override
            public AuthorizationServerSettings getAuthorizationServerSettings() {
                return settings;
            }
        };
    }

    /** The device authorization request provider: codes generated and the authorization saved. */
    Codes authorize() {
        AuthorizationServerContextHolder.setContext(context);
        OAuth2DeviceAuthorizationRequestAuthenticationToken result = (OAuth2DeviceAuthorizationRequestAuthenticationToken)
                requestProvider.authenticate(new OAuth2DeviceAuthorizationRequestAuthenticationToken(
                        authenticatedClient(), AUTHORIZATION_URI, REQUESTED_SCOPES, Map.of()));
        return new Codes(result.getDeviceCode().getTokenValue(), result.getUserCode().getTokenValue());
    }

    /**
     * One token request with the device code grant.
     *
     * @return the access token, or the OAuth error code Spring answered with
     */
    String poll(String deviceCode) {
        AuthorizationServerContextHolder.setContext(context);
        try {
            OAuth2AccessTokenAuthenticationToken result = (OAuth2AccessTokenAuthenticationToken) deviceCodeProvider
                    .authenticate(new OAuth2DeviceCodeAuthenticationToken(deviceCode, authenticatedClient(), Map.of()));
            return result.getAccessToken().getTokenValue();
        } catch (OAuth2AuthenticationException e) {
            return e.getError().getErrorCode();
        }
    }

    /** The store's user-code lookup behind Spring's verification page: true when an authorization holds it. */
    boolean lookup(String userCode) {
        return authorizations.findByToken(userCode, USER_CODE) != null;
    }

    /** True when the store finds an authorization by this device code. */
    boolean holdsDeviceCode(String deviceCode) {
        return authorizations.findByToken(deviceCode, DEVICE_CODE) != null;
    }

    /**
     * The user enters the code and approves: the verification provider, then, when it asks for
     * consent (the first time this user meets the client), the consent provider.
     */
    void approve(String userCode) {
        AuthorizationServerContextHolder.setContext(context);
        Authentication verified = verificationProvider.authenticate(
                new OAuth2DeviceVerificationAuthenticationToken(user, userCode, Map.of()));
        if (verified instanceof OAuth2DeviceAuthorizationConsentAuthenticationToken consent) {
            consentProvider.authenticate(new OAuth2DeviceAuthorizationConsentAuthenticationToken(
                    consent.getAuthorizationUri(), consent.getClientId(), user, userCode, consent.getState(),
                    REQUESTED_SCOPES, Map.of()));
        }
    }

    /** Authorize, look up, approve, poll: returns the access token, or the error code of the poll. */
    String fullCycle() {
        Codes codes = authorize();
        if (!lookup(codes.userCode())) {
            throw new IllegalStateException("Spring lost a user code it had just issued");
        }
        approve(codes.userCode());
        return poll(codes.deviceCode());
    }

    @Override
    public void close() {
        AuthorizationServerContextHolder.resetContext();
        if (database != null) {
            new JdbcTemplate(database).execute("SHUTDOWN");
            database.dispose();
        }
    }

    private OAuth2ClientAuthenticationToken authenticatedClient() {
        RegisteredClient client = clients.findByClientId(CLIENT_ID);
        return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
    }

    private static OAuth2AuthorizationService uncapped() {
        try {
            // PEER-BENCH.md: the public constructor keeps at most 100 pending authorizations
            Constructor<InMemoryOAuth2AuthorizationService> constructor =
                    InMemoryOAuth2AuthorizationService.class.getDeclaredConstructor(int.class);
            constructor.setAccessible(true);
            return constructor.newInstance(Integer.MAX_VALUE);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot lift the cap of Spring's in-memory store", e);
        }
    }

    private static JWK jwk(Algorithm algorithm, KeyPair keys) {
        if (algorithm == Algorithm.RS256) {
            return new RSAKey.Builder((RSAPublicKey) keys.getPublic()).privateKey((RSAPrivateKey) keys.getPrivate())
                    .keyID("spring-rs256").build();
        }
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic()).privateKey((ECPrivateKey) keys.getPrivate())
                .keyID("spring-es256").build();
    }

    private static String resource(String path) {
        try (InputStream in = InMemoryOAuth2AuthorizationService.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Spring's schema is missing: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Spring's schema " + path, e);
        }
    }
}
