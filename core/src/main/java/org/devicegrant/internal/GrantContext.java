package org.devicegrant.internal;

import org.devicegrant.AccountCheck;
import org.devicegrant.DeviceGrant;
import org.devicegrant.DeviceGrantListener;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.devicegrant.clientauth.ClientRegistry;
import org.devicegrant.clientauth.RegisteredClient;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.LinkedDeviceStore;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.token.TokenIssuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Everything the handlers share, wired once by {@link DeviceGrant.Builder}. Immutable. */
public record GrantContext(
        Clock clock,
        SecureRandom random,
        DeviceAuthorizationStore store,
        ClientRegistry clients,
        ClientAuthenticator clientAuthenticator,
        TokenIssuer tokenIssuer,
        AccountCheck accountCheck,
        AttemptLimiter attemptLimiter,
        DeviceGrantListener listener,
        CodeHasher hasher,
        DeviceCodeGenerator deviceCodes,
        SettingsResolver settings,
        StateMachine stateMachine,
        URI verificationUri,
        Function<String, String> verificationUriCompleteOf,
        boolean acceptJsonBodies,
        String defaultClientId,
        LinkedDeviceStore linkedDevices) {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceGrant.class);

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
                    RequestParameters.of(request, acceptJsonBodies), now));
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
    RegisteredClient authenticateClient(String tenant, RequestParameters params, DeviceGrantRequest request)
            throws RequestRejected {
        String authorization = request.header("Authorization").orElse(null);
        RequestParameters presented = params;
        if (defaultClientId != null && authorization == null && params.get("client_id").isEmpty()
                && params.get("client_secret").isEmpty() && params.get("client_assertion").isEmpty()
                && params.get("client_assertion_type").isEmpty()) {
            // a device that names no client at all is the tenant's default device client
            presented = params.with("client_id", defaultClientId);
        }
        ClientAuthenticationResult auth = clientAuthenticator.authenticate(tenant, presented.asMap(), authorization);
        if (auth instanceof ClientAuthenticationResult.Failed failed) {
            throw new RequestRejected(Rejected.of(failed));
        }
        RegisteredClient client = ((ClientAuthenticationResult.Authenticated) auth).client();
        if (!client.deviceGrantEnabled()) {
            throw new RequestRejected(OAuth2Error.UNAUTHORIZED_CLIENT
                    .setDescription("The client is not allowed to use the device authorization grant"));
        }
        return client;
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
