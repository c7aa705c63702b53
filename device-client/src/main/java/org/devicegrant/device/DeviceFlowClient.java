package org.devicegrant.device;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device side of RFC 8628: {@link #start()} asks the device authorization endpoint for codes,
 * {@link #await(DeviceCodes, PollListener, CancellationToken)} polls the token endpoint
 * until the user has decided, the codes expire, or the flow is cancelled. Afterwards
 * {@link #refresh(CachedTokens, String...)} renews the access token (RFC 6749 §6) and
 * {@link #revoke(String, TokenTypeHint)} signs the device out (RFC 7009).
 *
 * <pre>{@code
 * DeviceFlowClient client = DeviceFlowClient.builder()
 *         .deviceAuthorizationEndpoint(URI.create("https://as.example/device_authorization"))
 *         .tokenEndpoint(URI.create("https://as.example/token"))
 *         .clientId("tv-app")
 *         .scope("openid", "profile")
 *         .clock(Clock.systemUTC())
 *         .build();
 * DeviceCodes authorization = client.start();   // only when the user asked to sign in
 * show(authorization.userCode(), authorization.verificationUri());
 * TokenResult result = client.await(authorization, PollListener.none(), new CancellationToken());
 * }</pre>
 *
 * <p>Immutable and thread-safe: several flows may run at once, each {@code await} on its own
 * thread. Nothing is logged or thrown that contains a code, the client secret or a token.
 */
public final class DeviceFlowClient {

    /** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** RFC 8628 §3.5: on {@code slow_down} "the interval MUST be increased by 5 seconds". */
    static final Duration SLOW_DOWN_INCREMENT = Duration.ofSeconds(5);
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    static final Duration MIN_MAX_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_MAX_BACKOFF = Duration.ofHours(1);
    static final String EXPIRED_LOCALLY = "the code expired before the user finished";

    private static final Logger LOG = LoggerFactory.getLogger(DeviceFlowClient.class);

    private final URI deviceAuthorizationEndpoint;
    private final URI tokenEndpoint;
    private final URI revocationEndpoint;
    private final ClientID clientId;
    private final ClientAuthentication clientAuthentication;
    private final Scope scope;
    private final OAuthExchange exchange;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxBackoff;

    private DeviceFlowClient(Builder builder) {
        this.deviceAuthorizationEndpoint = builder.deviceAuthorizationEndpoint;
        this.tokenEndpoint = builder.tokenEndpoint;
        this.revocationEndpoint = builder.revocationEndpoint;
        this.clientId = new ClientID(builder.clientId);
        this.clientAuthentication = builder.clientSecret == null
                ? null : new ClientSecretBasic(clientId, new Secret(builder.clientSecret));
        this.scope = builder.scope == null ? null : new Scope(builder.scope.toArray(String[]::new));
        this.exchange = new OAuthExchange(builder.transport == null ? new JdkHttpTransport() : builder.transport);
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.maxBackoff = builder.maxBackoff == null ? DEFAULT_MAX_BACKOFF : builder.maxBackoff;
    }

    /** A new builder; see {@link Builder} for the settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Requests a device code and a user code (RFC 8628 §3.1) and returns them with the
     * verification URI, lifetime and polling interval (§3.2).
     *
     * <p>Call this only when the user asks to sign in (RFC 8628 §3.1: the client "SHOULD"
     * start the flow only on user prompting), never on application start and never again by
     * itself after {@link TokenResult.Expired} or {@link TokenResult.Failed}. Each call is one
     * {@code POST}; the client keeps no state between calls.
     *
     * @return the codes; {@link DeviceCodes#expiresAt()} counts from just before the
     *         request was sent, so the client never believes in a code longer than the server
     * @throws DeviceFlowException if the endpoint is unreachable, answers something that is not a
     *                             valid RFC 8628 §3.2 response, or answers an OAuth error (then
     *                             {@link DeviceFlowException#error()} holds its code)
     */
    public DeviceCodes start() throws DeviceFlowException {
        DeviceAuthorizationRequest request = clientAuthentication == null
                ? new DeviceAuthorizationRequest(deviceAuthorizationEndpoint, clientId, scope)
                : new DeviceAuthorizationRequest(deviceAuthorizationEndpoint, clientAuthentication, scope, null);
        Instant sent = clock.instant();
        HTTPResponse response;
        try {
            response = exchange.send(request.toHTTPRequest());
        } catch (IOException e) {
            throw new DeviceFlowException("could not reach the device authorization endpoint "
                    + deviceAuthorizationEndpoint, e);
        }
        DeviceAuthorizationResponse parsed;
        try {
            parsed = DeviceAuthorizationResponse.parse(response);
        } catch (ParseException e) {
            // No cause: the parser's message may quote the body, which carries the codes.
            throw new DeviceFlowException("the device authorization endpoint answered HTTP "
                    + response.getStatusCode() + " with an invalid response");
        }
        if (!parsed.indicatesSuccess()) {
            throw refusal(parsed.toErrorResponse().getErrorObject(), response.getStatusCode());
        }
        DeviceAuthorizationSuccessResponse success = parsed.toSuccessResponse();
        if (success.getLifetime() <= 0) {
            throw new DeviceFlowException("the device authorization endpoint answered a non-positive expires_in");
        }
        Duration expiresIn = Duration.ofSeconds(success.getLifetime());
        // RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default."
        // A zero or negative interval is no usable value either.
        Duration interval = success.getInterval() > 0 ? Duration.ofSeconds(success.getInterval()) : DEFAULT_INTERVAL;
        LOG.debug("device authorization started: expires in {}, interval {}", expiresIn, interval);
        return new DeviceCodes(success.getDeviceCode().getValue(), success.getUserCode().getValue(),
                success.getVerificationURI(), success.getVerificationURIComplete(), expiresIn, interval,
                sent.plus(expiresIn));
    }

    private static DeviceFlowException refusal(ErrorObject error, int status) {
        if (error == null || error.getCode() == null) {
            return new DeviceFlowException("the device authorization endpoint answered HTTP " + status
                    + " without an OAuth error");
        }
        LOG.warn("device authorization refused: {} (HTTP {})", error.getCode(), status);
        String description = error.getDescription();
        return new DeviceFlowException("the device authorization endpoint refused: " + error.getCode()
                + (description == null ? "" : " (" + description + ")"), error.getCode(), description);
    }

    /**
     * Polls the token endpoint (RFC 8628 §3.4) until the flow ends, and returns how it ended.
     *
     * <ul>
     *   <li>Waits {@link DeviceCodes#interval()} before the first poll and between polls
     *       (RFC 8628 §3.5); each {@code slow_down} adds 5 s for that and every later poll.</li>
     *   <li>When no answer arrives ({@link IOException} from the transport, or HTTP 429/5xx
     *       without an OAuth error) the wait doubles, up to {@code maxBackoff} but never below the
     *       interval; the next real answer restores the interval.</li>
     *   <li>Never polls at or after {@link DeviceCodes#expiresAt()} by the clock: when the
     *       next poll would fall there it returns {@link TokenResult.Expired} without waiting.</li>
     *   <li>{@code access_denied} gives {@link TokenResult.Denied}; {@code expired_token}
     *       {@link TokenResult.Expired} (no new flow is started); any other error
     *       {@link TokenResult.Failed}; tokens {@link TokenResult.Success}.</li>
     *   <li>After {@link CancellationToken#cancel()} it returns {@link TokenResult.Cancelled} at
     *       the next wake-up without another request.</li>
     * </ul>
     *
     * <p>Blocks the calling thread. The listener is called on it after each poll that did not end
     * the flow.
     *
     * @throws DeviceFlowException  if the token endpoint answers something that is not a valid
     *                              OAuth response (e.g. HTTP 200 without an access token, or HTTP
     *                              400 without an {@code error})
     * @throws InterruptedException if the polling thread is interrupted
     * @throws NullPointerException if an argument is null
     */
    public TokenResult await(DeviceCodes authorization, PollListener listener, CancellationToken cancel)
            throws DeviceFlowException, InterruptedException {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancel, "cancel");
        TokenRequest request = tokenRequest(authorization.deviceCode());
        Duration interval = authorization.interval();
        Duration wait = interval;
        for (int attempt = 1; ; attempt++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while polling the token endpoint");
            }
            if (cancel.isCancelled()) {
                return cancelled(attempt);
            }
            if (!clock.instant().plus(wait).isBefore(authorization.expiresAt())) {
                return expiredLocally(attempt);
            }
            pause(wait, cancel);
            if (cancel.isCancelled()) {
                return cancelled(attempt);
            }
            if (!clock.instant().isBefore(authorization.expiresAt())) {
                return expiredLocally(attempt);
            }
            Answer answer = poll(request, attempt);
            if (answer.result() != null) {
                return answer.result();
            }
            switch (answer.outcome()) {
                case PENDING:
                    // RFC 8628 §3.5: authorization_pending: "The client SHOULD repeat the access
                    // token request to the token endpoint" after waiting the interval.
                    wait = interval;
                    break;
                case SLOW_DOWN:
                    // RFC 8628 §3.5: slow_down: "the interval MUST be increased by 5 seconds for
                    // this and all subsequent requests".
                    interval = interval.plus(SLOW_DOWN_INCREMENT);
                    wait = interval;
                    break;
                default:
                    // RFC 8628 §3.5: on a connection timeout the client "MUST reduce its polling
                    // frequency"; "exponential backoff" is RECOMMENDED.
                    wait = min(wait.multipliedBy(2), max(maxBackoff, interval));
                    break;
            }
            LOG.debug("token poll {}: {}, next in {}", attempt, answer.outcome().wire, wait);
            listener.onPoll(attempt, answer.outcome().wire, wait);
        }
    }

    /**
     * Exchanges the refresh token of {@code current} for a new access token (RFC 6749 §6), with
     * this client's authentication, and returns the tokens to keep from now on.
     *
     * <ul>
     *   <li>A rotating server answers a new refresh token: it is in the result and the presented
     *       one is retired (RFC 9700 §4.14.2), so the caller must save the result before it sends
     *       another refresh. A server that does not rotate answers none, and the result keeps
     *       the presented one (RFC 6749 §6: the server "MAY issue a new refresh token").</li>
     *   <li>{@code invalid_grant} gives {@link RefreshResult.ReauthorizationNeeded}; any other
     *       OAuth error {@link RefreshResult.Failed}.</li>
     *   <li>The ID token and the scope of {@code current} are kept when the answer has none
     *       (OpenID Connect Core §12.2; RFC 6749 §5.1 omits an unchanged scope).</li>
     * </ul>
     *
     * @param current the tokens held now; must have a refresh token
     * @param scope   a narrower scope to ask for (RFC 6749 §6: it "MUST NOT include any scope not
     *                originally granted"), or nothing to keep the granted scope
     * @throws DeviceFlowException      if the token endpoint is unreachable or answers something
     *                                  that is not a valid OAuth response; nothing is to be
     *                                  discarded then
     * @throws IllegalArgumentException if {@code current} has no refresh token or a scope token is
     *                                  invalid
     */
    public RefreshResult refresh(CachedTokens current, String... scope) throws DeviceFlowException {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(scope, "scope");
        if (current.refreshToken() == null) {
            throw new IllegalArgumentException("current has no refresh token to refresh with");
        }
        Set<String> narrower = new LinkedHashSet<>();
        for (String token : scope) {
            narrower.add(Objects.requireNonNull(token, "scope must not contain null"));
        }
        RefreshTokenGrant grant = new RefreshTokenGrant(new RefreshToken(current.refreshToken()));
        TokenRequest.Builder builder = clientAuthentication == null
                ? new TokenRequest.Builder(tokenEndpoint, clientId, grant)
                : new TokenRequest.Builder(tokenEndpoint, clientAuthentication, grant);
        if (!narrower.isEmpty()) {
            Builder.checkScope(narrower);
            builder.scope(new Scope(narrower.toArray(String[]::new)));
        }
        Instant sent = clock.instant();
        HTTPResponse response;
        try {
            response = exchange.send(builder.build().toHTTPRequest());
        } catch (IOException e) {
            LOG.warn("refresh: no answer from the token endpoint ({})", e.toString());
            throw new DeviceFlowException("could not reach the token endpoint " + tokenEndpoint
                    + " to refresh; keep the stored tokens", e);
        }
        int status = response.getStatusCode();
        TokenResponse parsed;
        try {
            parsed = OIDCTokenResponseParser.parse(response);
        } catch (ParseException e) {
            // No cause: the parser's message may quote the body, which carries tokens.
            throw new DeviceFlowException("the token endpoint answered HTTP " + status + " with an invalid response");
        }
        if (parsed.indicatesSuccess()) {
            TokenResult.Success issued = success(parsed.toSuccessResponse().getTokens());
            boolean rotated = issued.refreshToken() != null && !issued.refreshToken().equals(current.refreshToken());
            Set<String> granted = !issued.scope().isEmpty() ? issued.scope()
                    : !narrower.isEmpty() ? narrower : current.scope();
            CachedTokens tokens = new CachedTokens(issued.accessToken(), issued.tokenType(),
                    issued.expiresIn() == null ? null : sent.plus(issued.expiresIn()),
                    issued.refreshToken() == null ? current.refreshToken() : issued.refreshToken(),
                    issued.idToken() == null ? current.idToken() : issued.idToken(), granted);
            LOG.debug("refresh: new access token issued, refresh token {}", rotated ? "rotated" : "kept");
            return new RefreshResult.Refreshed(tokens, rotated);
        }
        ErrorObject error = parsed.toErrorResponse().getErrorObject();
        if (error == null || error.getCode() == null) {
            throw new DeviceFlowException("the token endpoint answered HTTP " + status
                    + " without an OAuth error; keep the stored tokens");
        }
        LOG.warn("refresh refused: {} (HTTP {})", error.getCode(), status);
        if (OAuth2Error.INVALID_GRANT.getCode().equals(error.getCode())) {
            // RFC 6749 §5.2: invalid_grant: the refresh token "is invalid, expired, revoked" or was
            // issued to another client; only a new authorization helps.
            return new RefreshResult.ReauthorizationNeeded(error.getDescription());
        }
        return new RefreshResult.Failed(error.getCode(), error.getDescription());
    }

    /**
     * Asks the revocation endpoint to revoke {@code token} (RFC 7009 §2.1), with this client's
     * authentication and a {@code token_type_hint}. To sign a device out, revoke its refresh
     * token: the server then invalidates the grant and, RFC 7009 §2.1 recommends, its access
     * tokens too.
     *
     * @param token the access or refresh token
     * @param hint  which of the two it is
     * @return {@link RevocationResult.Revoked} for HTTP 200, which RFC 7009 §2.2 answers also for
     *         a token that was unknown or already revoked; {@link RevocationResult.Failed} for an
     *         OAuth error such as {@code unsupported_token_type}
     * @throws DeviceFlowException   if the endpoint is unreachable or answers without an OAuth
     *                               error (e.g. HTTP 503: RFC 7009 §2.2.1, the token may still be
     *                               valid; try again later)
     * @throws IllegalStateException if the client was built without a revocation endpoint
     */
    public RevocationResult revoke(String token, TokenTypeHint hint) throws DeviceFlowException {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(hint, "hint");
        if (revocationEndpoint == null) {
            throw new IllegalStateException("revoke needs a revocationEndpoint; set it on the builder");
        }
        // Nimbus writes token_type_hint from the token's class (RFC 7009 §2.1).
        Token typed = hint == TokenTypeHint.REFRESH_TOKEN ? new RefreshToken(token) : new BearerAccessToken(token);
        TokenRevocationRequest request = clientAuthentication == null
                ? new TokenRevocationRequest(revocationEndpoint, clientId, typed)
                : new TokenRevocationRequest(revocationEndpoint, clientAuthentication, typed);
        HTTPResponse response;
        try {
            response = exchange.send(request.toHTTPRequest());
        } catch (IOException e) {
            LOG.warn("revocation: no answer from the revocation endpoint ({})", e.toString());
            throw new DeviceFlowException("could not reach the revocation endpoint " + revocationEndpoint
                    + "; the token may still be valid", e);
        }
        int status = response.getStatusCode();
        // RFC 7009 §2.2: HTTP 200 "if the token has been revoked successfully or if the client
        // submitted an invalid token"; "The content of the response body is ignored by the client".
        if (status == 200) {
            LOG.debug("revocation: {} revoked", hint.wire());
            return new RevocationResult.Revoked();
        }
        ErrorObject error;
        try {
            error = TokenErrorResponse.parse(response).getErrorObject();
        } catch (ParseException e) {
            error = null;
        }
        if (error == null || error.getCode() == null) {
            throw new DeviceFlowException("the revocation endpoint answered HTTP " + status
                    + " without an OAuth error; the token may still be valid");
        }
        LOG.warn("revocation refused: {} (HTTP {})", error.getCode(), status);
        return new RevocationResult.Failed(error.getCode(), error.getDescription());
    }

    /** The injected clock, for {@link ValidToken}. */
    Clock clock() {
        return clock;
    }

    private TokenRequest tokenRequest(String deviceCode) {
        DeviceCodeGrant grant = new DeviceCodeGrant(new DeviceCode(deviceCode));
        TokenRequest.Builder builder = clientAuthentication == null
                ? new TokenRequest.Builder(tokenEndpoint, clientId, grant)
                : new TokenRequest.Builder(tokenEndpoint, clientAuthentication, grant);
        return builder.build();
    }

    private void pause(Duration wait, CancellationToken cancel) throws InterruptedException {
        if (sleeper == null) {
            cancel.await(wait);
        } else {
            sleeper.sleep(wait);
        }
    }

    private Answer poll(TokenRequest request, int attempt) throws DeviceFlowException, InterruptedException {
        HTTPResponse response;
        try {
            response = exchange.send(request.toHTTPRequest());
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while polling the token endpoint");
            }
            LOG.warn("token poll {}: no answer from the token endpoint ({}), backing off", attempt, e.toString());
            return Answer.of(Outcome.UNREACHABLE);
        }
        int status = response.getStatusCode();
        TokenResponse parsed;
        try {
            parsed = OIDCTokenResponseParser.parse(response);
        } catch (ParseException e) {
            // No cause: the parser's message may quote the body, which carries tokens.
            throw new DeviceFlowException("the token endpoint answered HTTP " + status + " with an invalid response");
        }
        if (parsed.indicatesSuccess()) {
            LOG.debug("token poll {}: tokens issued", attempt);
            return Answer.of(success(parsed.toSuccessResponse().getTokens()));
        }
        ErrorObject error = parsed.toErrorResponse().getErrorObject();
        if (error == null || error.getCode() == null) {
            if (status == 429 || status >= 500) {
                LOG.warn("token poll {}: HTTP {} without an OAuth error, backing off", attempt, status);
                return Answer.of(Outcome.UNREACHABLE);
            }
            throw new DeviceFlowException("the token endpoint answered HTTP " + status + " without an OAuth error");
        }
        String code = error.getCode();
        String description = error.getDescription();
        if (DeviceAuthorizationGrantError.AUTHORIZATION_PENDING.getCode().equals(code)) {
            return Answer.of(Outcome.PENDING);
        }
        if (DeviceAuthorizationGrantError.SLOW_DOWN.getCode().equals(code)) {
            return Answer.of(Outcome.SLOW_DOWN);
        }
        LOG.debug("token poll {}: {}", attempt, code);
        if (OAuth2Error.ACCESS_DENIED.getCode().equals(code)) {
            // RFC 8628 §3.5: access_denied: "The authorization request was denied."
            return Answer.of(new TokenResult.Denied(description));
        }
        if (DeviceAuthorizationGrantError.EXPIRED_TOKEN.getCode().equals(code)) {
            // RFC 8628 §3.5: the client "MAY commence a new device authorization request but
            // SHOULD wait for user interaction before restarting": no automatic restart here.
            return Answer.of(new TokenResult.Expired(description));
        }
        // RFC 8628 §3.5: on other error codes the client "SHOULD stop polling".
        LOG.warn("token poll {}: the token endpoint answered {}, polling stopped", attempt, code);
        return Answer.of(new TokenResult.Failed(code, description));
    }

    private static TokenResult.Success success(Tokens tokens) {
        AccessToken accessToken = tokens.getAccessToken();
        RefreshToken refreshToken = tokens.getRefreshToken();
        String idToken = tokens instanceof OIDCTokens ? ((OIDCTokens) tokens).getIDTokenString() : null;
        Set<String> granted = accessToken.getScope() == null
                ? Set.of() : new LinkedHashSet<>(accessToken.getScope().toStringList());
        return new TokenResult.Success(accessToken.getValue(), accessToken.getType().getValue(),
                accessToken.getLifetime() > 0 ? Duration.ofSeconds(accessToken.getLifetime()) : null,
                refreshToken == null ? null : refreshToken.getValue(), idToken, granted);
    }

    private static TokenResult cancelled(int attempt) {
        LOG.debug("device flow cancelled before poll {}", attempt);
        return new TokenResult.Cancelled();
    }

    private static TokenResult expiredLocally(int attempt) {
        LOG.debug("device flow expired by the clock before poll {}", attempt);
        return new TokenResult.Expired(EXPIRED_LOCALLY);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "DeviceFlowClient[deviceAuthorizationEndpoint=" + deviceAuthorizationEndpoint
                + ", tokenEndpoint=" + tokenEndpoint
                + ", revocationEndpoint=" + (revocationEndpoint == null ? "none" : revocationEndpoint)
                + ", clientId=" + clientId
                + ", clientAuthentication=" + (clientAuthentication == null ? "none" : "client_secret_basic") + "]";
    }

    /** What one poll that did not end the flow answered, with its name in {@link PollListener}. */
    private enum Outcome {
        PENDING(PollListener.AUTHORIZATION_PENDING),
        SLOW_DOWN(PollListener.SLOW_DOWN),
        UNREACHABLE(PollListener.TIMEOUT),
        DONE("done");

        final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }
    }

    /** One poll's answer: an outcome to keep polling on, or the result that ends the flow. */
    private record Answer(Outcome outcome, TokenResult result) {

        static Answer of(Outcome outcome) {
            return new Answer(outcome, null);
        }

        static Answer of(TokenResult result) {
            return new Answer(Outcome.DONE, result);
        }
    }

    /**
     * Configures a {@link DeviceFlowClient}. Each setting may be set once; a second call throws
     * {@link IllegalStateException}. {@link #build()} checks every setting and throws
     * {@link IllegalArgumentException} naming the setting and its allowed range. Not
     * thread-safe.
     *
     * <ul>
     *   <li>{@code deviceAuthorizationEndpoint}, {@code tokenEndpoint}: required; absolute
     *       {@code https} URIs without fragment or user info; {@code http} only for
     *       {@code localhost}, {@code 127.0.0.1} and {@code [::1]}.</li>
     *   <li>{@code revocationEndpoint}: optional (needed by {@code revoke}); the same rules.</li>
     *   <li>{@code clientId}: required, not blank.</li>
     *   <li>{@code clientSecret}: optional; when set the client authenticates with HTTP Basic
     *       ({@code client_secret_basic}, RFC 6749 §2.3.1) and sends no {@code client_id} in the
     *       body.</li>
     *   <li>{@code scope}: optional; scope tokens of RFC 6749 §3.3 (printable ASCII without
     *       space, {@code "} or {@code \}).</li>
     *   <li>{@code transport}: default the JDK {@link java.net.http.HttpClient}, 10 s connect and
     *       30 s request timeout, no redirects.</li>
     *   <li>{@code clock}: required.</li>
     *   <li>{@code sleeper}: default blocks the polling thread and wakes up at once on
     *       cancellation.</li>
     *   <li>{@code maxBackoff}: 1 second to 1 hour (PT1S..PT1H); default 60 s.</li>
     * </ul>
     */
    public static final class Builder {
        private URI deviceAuthorizationEndpoint;
        private URI tokenEndpoint;
        private URI revocationEndpoint;
        private String clientId;
        private String clientSecret;
        private Set<String> scope;
        private HttpTransport transport;
        private Clock clock;
        private Sleeper sleeper;
        private Duration maxBackoff;

        private Builder() {
        }

        /** The device authorization endpoint (RFC 8628 §3.1). Required. */
        public Builder deviceAuthorizationEndpoint(URI endpoint) {
            requireUnset(deviceAuthorizationEndpoint, "deviceAuthorizationEndpoint");
            this.deviceAuthorizationEndpoint = Objects.requireNonNull(endpoint, "deviceAuthorizationEndpoint");
            return this;
        }

        /** The token endpoint (RFC 6749 §3.2). Required. */
        public Builder tokenEndpoint(URI endpoint) {
            requireUnset(tokenEndpoint, "tokenEndpoint");
            this.tokenEndpoint = Objects.requireNonNull(endpoint, "tokenEndpoint");
            return this;
        }

        /** The revocation endpoint (RFC 7009 §2). Optional: {@link #revoke} needs it. */
        public Builder revocationEndpoint(URI endpoint) {
            requireUnset(revocationEndpoint, "revocationEndpoint");
            this.revocationEndpoint = Objects.requireNonNull(endpoint, "revocationEndpoint");
            return this;
        }

        /** The client identifier (RFC 6749 §2.2). Required. */
        public Builder clientId(String clientId) {
            requireUnset(this.clientId, "clientId");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        /** The client secret, sent with HTTP Basic (RFC 6749 §2.3.1). Optional: public clients have none. */
        public Builder clientSecret(String clientSecret) {
            requireUnset(this.clientSecret, "clientSecret");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            return this;
        }

        /** The scope to request (RFC 6749 §3.3), at least one token. Optional. */
        public Builder scope(String... scope) {
            requireUnset(this.scope, "scope");
            Objects.requireNonNull(scope, "scope");
            Set<String> tokens = new LinkedHashSet<>();
            for (String token : scope) {
                tokens.add(Objects.requireNonNull(token, "scope must not contain null"));
            }
            this.scope = tokens;
            return this;
        }

        /** How requests are sent. Default: the JDK {@link java.net.http.HttpClient}. */
        public Builder transport(HttpTransport transport) {
            requireUnset(this.transport, "transport");
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The clock that times expiry. Required, e.g. {@code Clock.systemUTC()}. */
        public Builder clock(Clock clock) {
            requireUnset(this.clock, "clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the client waits between polls. Default: block the thread, wake up on cancellation. */
        public Builder sleeper(Sleeper sleeper) {
            requireUnset(this.sleeper, "sleeper");
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The longest wait while backing off from an unreachable token endpoint. Default 60 s. */
        public Builder maxBackoff(Duration maxBackoff) {
            requireUnset(this.maxBackoff, "maxBackoff");
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalArgumentException naming the setting, if one is missing or out of range
         */
        public DeviceFlowClient build() {
            checkEndpoint(deviceAuthorizationEndpoint, "deviceAuthorizationEndpoint");
            checkEndpoint(tokenEndpoint, "tokenEndpoint");
            if (revocationEndpoint != null) {
                checkEndpoint(revocationEndpoint, "revocationEndpoint");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("clientId is required and must not be blank");
            }
            if (clientSecret != null && clientSecret.isEmpty()) {
                throw new IllegalArgumentException("clientSecret must not be empty (leave it unset for a public client)");
            }
            if (scope != null) {
                checkScope(scope);
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock is required (e.g. Clock.systemUTC())");
            }
            if (maxBackoff != null
                    && (maxBackoff.compareTo(MIN_MAX_BACKOFF) < 0 || maxBackoff.compareTo(MAX_MAX_BACKOFF) > 0)) {
                throw new IllegalArgumentException("maxBackoff must be between 1 second and 1 hour (PT1S..PT1H), got "
                        + maxBackoff);
            }
            return new DeviceFlowClient(this);
        }

        private static void checkEndpoint(URI endpoint, String setting) {
            if (endpoint == null) {
                throw new IllegalArgumentException(setting + " is required: an https URI");
            }
            if (!endpoint.isAbsolute() || endpoint.getHost() == null) {
                throw new IllegalArgumentException(setting + " must be an absolute https URI with a host, got " + endpoint);
            }
            if (endpoint.getRawUserInfo() != null) {
                throw new IllegalArgumentException(setting + " must not contain user info");
            }
            String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
            String host = endpoint.getHost().toLowerCase(Locale.ROOT);
            boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
            // RFC 8628 §3.1 and RFC 6749 §3.2: the endpoints require TLS.
            if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
                throw new IllegalArgumentException(setting
                        + " must use https (http only for localhost, 127.0.0.1 or [::1]), got " + endpoint);
            }
            // RFC 6749 §3.2: the endpoint URI "MUST NOT include a fragment component".
            if (endpoint.getRawFragment() != null) {
                throw new IllegalArgumentException(setting + " must not have a fragment, got " + endpoint);
            }
        }

        static void checkScope(Set<String> scope) {
            if (scope.isEmpty()) {
                throw new IllegalArgumentException("scope must name at least one scope token (or stay unset)");
            }
            for (String token : scope) {
                // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
                boolean valid = !token.isEmpty() && token.chars()
                        .allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E));
                if (!valid) {
                    throw new IllegalArgumentException("scope tokens must be 1 or more printable ASCII characters "
                            + "other than space, '\"' and '\\' (RFC 6749 §3.3), got \"" + token + "\"");
                }
            }
        }

        private static void requireUnset(Object current, String setting) {
            if (current != null) {
                throw new IllegalStateException(setting + " is already set");
            }
        }
    }
}
