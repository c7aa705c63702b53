package org.devicegrant.internal;

import org.devicegrant.AccountCheck;
import org.devicegrant.CodePolicy;
import org.devicegrant.DeviceGrant;
import org.devicegrant.DeviceGrantListener;
import org.devicegrant.DeviceSettings;
import org.devicegrant.Endpoints;
import org.devicegrant.Hooks;
import org.devicegrant.Polling;
import org.devicegrant.Issuance;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.devicegrant.clientauth.ClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.BruteForceRisk;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.token.TokenIssuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the handlers share, assembled once by {@link #assemble} from the grant's checked
 * settings. Immutable.
 */
public record GrantContext(
        Clock clock,
        SecureRandom random,
        DeviceAuthorizationStore store,
        ClientRegistry clients,
        ClientAuthenticator clientAuthenticator,
        Issuance issuance,
        AttemptLimiter attemptLimiter,
        CodeHasher hasher,
        DeviceCodeGenerator deviceCodes,
        SettingsResolver settings,
        StateMachine stateMachine,
        Endpoints endpoints,
        Hooks hooks,
        Function<String, String> verificationUriCompleteOf) {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceGrant.class);

    /**
     * Wires the handlers' collaborators from the settings {@link DeviceGrant.Builder#build()} was
     * given, each already checked on its own; checks what needs several of them together.
     *
     * @throws org.devicegrant.InvalidSettingException the user-code key is too short, or a declared
     *         user-code format is too weak for the pending cap (see {@link CodePolicy})
     */
    public static GrantContext assemble(Endpoints endpoints, CodePolicy codes, Polling polling, Hooks hooks,
            Function<String, DeviceSettings> tenantSettings, DeviceAuthorizationStore store, ClientRegistry clients,
            Issuance issuance, AttemptLimiter attemptLimiter, byte[] userCodeKey, Clock clock,
            SecureRandom random) {
        PollingPolicy pollingPolicy = new PollingPolicy(polling.tolerance());
        SettingsResolver settings = new SettingsResolver(codes, polling, pollingPolicy, tenantSettings,
                attemptLimiter.policy().globalFailuresPerDay());
        ClientAuthenticator authenticator = ClientAuthenticator.builder()
                .registry(clients)
                .clock(clock)
                .acceptedAudiences(Set.of(endpoints.issuer(), endpoints.deviceAuthorizationEndpoint(),
                        endpoints.tokenEndpoint(), endpoints.revocationEndpoint(), endpoints.introspectionEndpoint()))
                .attemptLimiter(attemptLimiter)
                .build();
        return new GrantContext(clock, random, store, clients, authenticator, issuance, attemptLimiter,
                new CodeHasher(userCodeKey), new DeviceCodeGenerator(random, codes.deviceCodeBytes()), settings,
                new StateMachine(pollingPolicy), endpoints, hooks, verificationUriCompleteOf(endpoints));
    }

    /** Formed once, so that each device authorization only appends the encoded user code. */
    private static Function<String, String> verificationUriCompleteOf(Endpoints endpoints) {
        if (endpoints.verificationUriComplete() != null) {
            Function<String, URI> custom = endpoints.verificationUriComplete();
            return userCode -> custom.apply(userCode).toString();
        }
        URI verificationUri = endpoints.verificationUri();
        String prefix = verificationUri + (verificationUri.getRawQuery() == null ? "?" : "&") + "user_code=";
        return userCode -> prefix + URLEncoder.encode(userCode, StandardCharsets.UTF_8);
    }

    /** The page where users enter the code. */
    public URI verificationUri() {
        return endpoints.verificationUri();
    }

    /** Signs the tokens. */
    public TokenIssuer tokenIssuer() {
        return issuance.issuer();
    }

    /** Where grants are kept, or null when none are. */
    public GrantStore grants() {
        return issuance.grants();
    }

    /** The host's check of the approving account at redemption. */
    public AccountCheck accountCheck() {
        return hooks.accountCheck();
    }

    /** The brute-force estimate of the default user-code format at the grant's pending cap. */
    public BruteForceRisk bruteForceRisk() {
        return settings.bruteForceRisk();
    }

    /** The JWS algorithms a {@code private_key_jwt} client assertion may be signed with, by name. */
    public List<String> clientAssertionAlgorithms() {
        return ClientAuthenticator.ASSERTION_SIGNING_ALGORITHMS.stream().map(JWSAlgorithm::getName).toList();
    }

    /** Told of every event; the handlers tell it through {@link GrantEvents}. */
    public DeviceGrantListener listener() {
        return hooks.listener();
    }

    /** The body of one endpoint: decides the parsed request into a result. */
    @FunctionalInterface
    interface EndpointBody {
        EndpointResult decide(String tenant, RequestParameters params, Instant now) throws RequestRejected;
    }

    /**
     * Runs an endpoint so that nothing escapes it: malformed requests become their OAuth error, a
     * failing store or any bug a {@code server_error} logged once, with no stack trace on the wire.
     * The result is rendered by {@link ResponseRenderer}, the one renderer.
     */
    DeviceGrantResponse handle(String endpoint, DeviceGrantRequest request, EndpointBody body) {
        Instant now = clock.instant();
        try {
            return ResponseRenderer.render(body.decide(request.tenant(),
                    RequestParameters.of(request, endpoints.acceptJsonBodies()), now));
        } catch (RequestRejected rejected) {
            return ResponseRenderer.render(rejected.rejected());
        } catch (StoreUnavailableException e) {
            LOG.warn("{} failed: store unavailable: {}", endpoint, e.getMessage());
            return ResponseRenderer.render(Rejected.SERVER_ERROR);
        } catch (RuntimeException e) {
            LOG.error("{} failed", endpoint, e);
            return ResponseRenderer.render(Rejected.SERVER_ERROR);
        }
    }

    /**
     * Authenticates the client of a device-grant request and checks that it may use the grant.
     *
     * @throws RequestRejected the RFC 6749 §5.2 error to answer
     */
    OAuthClient authenticateClient(String tenant, RequestParameters params, DeviceGrantRequest request)
            throws RequestRejected {
        OAuthClient client = authenticate(tenant, params, request, true).client();
        if (!client.deviceGrantEnabled()) {
            throw new RequestRejected(OAuth2Error.UNAUTHORIZED_CLIENT
                    .setDescription("The client is not allowed to use the device authorization grant"));
        }
        return client;
    }

    /**
     * Authenticates the client of a request as the token endpoint does (RFC 6749 §2.3), whatever
     * grants it may use.
     *
     * @param defaultClient whether a request that names no client at all is the tenant's default
     *                      device client ({@link Endpoints#defaultClientId()})
     * @throws RequestRejected the RFC 6749 §5.2 error to answer
     */
    ClientAuthenticationResult.Authenticated authenticate(String tenant, RequestParameters params,
            DeviceGrantRequest request, boolean defaultClient) throws RequestRejected {
        String authorization = request.header("Authorization").orElse(null);
        RequestParameters presented = params;
        String defaultClientId = endpoints.defaultClientId();
        if (defaultClient && defaultClientId != null && authorization == null && params.get("client_id").isEmpty()
                && params.get("client_secret").isEmpty() && params.get("client_assertion").isEmpty()
                && params.get("client_assertion_type").isEmpty()) {
            // a device that names no client at all is the tenant's default device client
            presented = params.with("client_id", defaultClientId);
        }
        ClientAuthenticationResult auth = clientAuthenticator.authenticate(tenant, request.remoteAddress(),
                presented.asMap(), authorization);
        if (auth instanceof ClientAuthenticationResult.Failed failed) {
            throw new RequestRejected(Rejected.of(failed));
        }
        return (ClientAuthenticationResult.Authenticated) auth;
    }

    /** {@code verification_uri_complete} for a user code in display form. */
    public String verificationUriComplete(String displayUserCode) {
        return verificationUriCompleteOf.apply(displayUserCode);
    }

    /** Every format a user code may have, the default first. */
    public List<UserCodeFormat> userCodeFormats() {
        return settings.formats();
    }
}
