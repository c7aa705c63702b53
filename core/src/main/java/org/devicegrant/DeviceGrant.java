package org.devicegrant;

import org.devicegrant.internal.ClientAuthenticator;
import org.devicegrant.internal.DeviceCodeGenerator;
import org.devicegrant.internal.DeviceAuthorizationEndpoint;
import org.devicegrant.internal.GrantContext;
import org.devicegrant.internal.SettingsResolver;
import org.devicegrant.internal.PollingPolicy;
import org.devicegrant.internal.StateMachine;
import org.devicegrant.internal.TokenEndpoint;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import org.devicegrant.clientauth.ClientRegistry;
import org.devicegrant.clientauth.RegisteredClient;
import org.devicegrant.code.BruteForceRisk;
import org.devicegrant.code.CodeHasher;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.LinkedDeviceStore;
import org.devicegrant.token.TokenIssuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628), ready to be routed to. Build one at
 * start-up with {@link #builder()}, hand it the device authorization and token requests, and
 * call {@link #verification()} from the verification page. Thread-safe; every collaborator
 * (clock, randomness, store, client registry, token issuer, attempt limiter) is injected.
 *
 * <pre>{@code
 * DeviceGrant grant = DeviceGrant.builder()
 *         .issuer(URI.create("https://id.example.com"))
 *         .verificationUri(URI.create("https://id.example.com/device"))
 *         .store(new InMemoryDeviceAuthorizationStore())
 *         .attemptLimiter(new InMemoryAttemptLimiter())
 *         .clientRegistry(clients)
 *         .tokenIssuer(jwtIssuer)
 *         .userCodeKey(secretFromVault)
 *         .build();
 * }</pre>
 */
public final class DeviceGrant {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceGrant.class);

    private final GrantContext ctx;
    private final DeviceAuthorizationEndpoint deviceAuthorizationEndpoint;
    private final TokenEndpoint tokenEndpoint;
    private final Verification verification;
    private final URI deviceAuthorizationEndpointUri;
    private final URI tokenEndpointUri;
    private final BruteForceRisk bruteForceRisk;
    private final LinkedDevices linkedDevices;

    private DeviceGrant(GrantContext ctx, URI deviceAuthorizationEndpointUri, URI tokenEndpointUri,
            BruteForceRisk bruteForceRisk, LinkedDevices linkedDevices) {
        this.ctx = ctx;
        this.deviceAuthorizationEndpoint = new DeviceAuthorizationEndpoint(ctx);
        this.tokenEndpoint = new TokenEndpoint(ctx);
        this.verification = new Verification(ctx);
        this.deviceAuthorizationEndpointUri = deviceAuthorizationEndpointUri;
        this.tokenEndpointUri = tokenEndpointUri;
        this.bruteForceRisk = bruteForceRisk;
        this.linkedDevices = linkedDevices;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Handles a POST to the device authorization endpoint (RFC 8628 §3.1). Never throws. */
    public DeviceGrantResponse deviceAuthorization(DeviceGrantRequest request) {
        return deviceAuthorizationEndpoint.handle(request);
    }

    /**
     * Handles a POST to the token endpoint carrying the device_code grant (RFC 8628 §3.4). A host
     * with its own token endpoint routes here when {@link #handlesGrantType} says so. Never throws.
     */
    public DeviceGrantResponse token(DeviceGrantRequest request) {
        return tokenEndpoint.handle(request);
    }

    /** True for {@code urn:ietf:params:oauth:grant-type:device_code}: the grant type to route to {@link #token}. */
    public boolean handlesGrantType(String grantType) {
        return GrantType.DEVICE_CODE.getValue().equals(grantType);
    }

    /** The verification API for the host's pages. */
    public Verification verification() {
        return verification;
    }

    /**
     * What this grant adds to the host's RFC 8414 and OpenID discovery documents (RFC 8628 §4,
     * M02–M04, C07): {@code device_authorization_endpoint}, the device grant type in
     * {@code grant_types_supported}, and the client authentication methods. Merge these lists
     * into the host's own.
     */
    public Map<String, Object> metadata() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("device_authorization_endpoint", deviceAuthorizationEndpointUri.toString());
        metadata.put("token_endpoint", tokenEndpointUri.toString());
        metadata.put("grant_types_supported", List.of(GrantType.DEVICE_CODE.getValue()));
        metadata.put("token_endpoint_auth_methods_supported", List.of(
                ClientAuthenticationMethod.NONE.getValue(),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
                ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue(),
                ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue()));
        return metadata;
    }

    /**
     * The devices users linked, for a "Your devices" page.
     *
     * @throws IllegalStateException linked devices were not configured ({@link Builder#linkedDevices})
     */
    public LinkedDevices linkedDevices() {
        if (linkedDevices == null) {
            throw new IllegalStateException("linked devices are not configured: see DeviceGrant.Builder#linkedDevices");
        }
        return linkedDevices;
    }

    /** The brute-force estimate this grant was built with (REQ-UC-4). */
    public BruteForceRisk bruteForceRisk() {
        return bruteForceRisk;
    }

    /**
     * Housekeeping: deletes up to {@code maxCount} authorizations that expired more than
     * {@code retention} ago. Until then an expired device code still answers
     * {@code expired_token}; afterwards {@code invalid_grant}. Correctness never depends on it.
     *
     * @return how many were deleted
     */
    public int purgeExpired(Duration retention, int maxCount) {
        return ctx.store().deleteExpired(ctx.clock().instant().minus(retention), maxCount);
    }

    /**
     * Wires a {@link DeviceGrant}. Each setting may be set once; {@link #build()} rejects a
     * missing or out-of-range setting with a message naming it and the allowed range.
     */
    public static final class Builder {
        private URI issuer;
        private URI verificationUri;
        private Function<String, URI> verificationUriComplete;
        private URI deviceAuthorizationEndpoint;
        private URI tokenEndpoint;
        private DeviceAuthorizationStore store;
        private ClientRegistry clientRegistry;
        private TokenIssuer tokenIssuer;
        private AccountCheck accountCheck;
        private AttemptLimiter attemptLimiter;
        private DeviceGrantListener listener;
        private Clock clock;
        private SecureRandom random;
        private UserCodeFormat userCodeFormat;
        private Duration codeLifetime;
        private Duration pollingInterval;
        private Duration pollTolerance;
        private Integer deviceCodeBytes;
        private byte[] userCodeKey;
        private Long maxPendingPerClient;
        private Long maxPendingPerTenant;
        private Double acceptedRiskPerDay;
        private boolean riskAccepted;
        private boolean acceptJsonBodies;
        private String defaultClientId;
        private Function<String, DeviceSettings> tenantSettings;
        private LinkedDeviceStore linkedDeviceStore;
        private DeviceRevocation deviceRevocation;
        private final List<UserCodeFormat> additionalFormats = new ArrayList<>();

        private Builder() {
        }

        /** The issuer identifier: https (http only on localhost), no query or fragment (RFC 8414 §2, M01). Required. */
        public Builder issuer(URI issuer) { this.issuer = once(this.issuer, issuer, "issuer"); return this; }

        /** The page where users enter the code, short enough to type (RFC 8628 §3.2, D10). Required. */
        public Builder verificationUri(URI uri) { this.verificationUri = once(this.verificationUri, uri, "verificationUri"); return this; }

        /**
         * How {@code verification_uri_complete} is formed from the display user code. Default:
         * the verification URI with {@code ?user_code=CODE}.
         */
        public Builder verificationUriComplete(Function<String, URI> fromUserCode) {
            this.verificationUriComplete = once(this.verificationUriComplete, fromUserCode, "verificationUriComplete");
            return this;
        }

        /** For metadata and {@code private_key_jwt} audiences. Default: issuer + {@code /oauth2/device_authorization}. */
        public Builder deviceAuthorizationEndpoint(URI uri) {
            this.deviceAuthorizationEndpoint = once(this.deviceAuthorizationEndpoint, uri, "deviceAuthorizationEndpoint");
            return this;
        }

        /** For metadata and {@code private_key_jwt} audiences. Default: issuer + {@code /oauth2/token}. */
        public Builder tokenEndpoint(URI uri) { this.tokenEndpoint = once(this.tokenEndpoint, uri, "tokenEndpoint"); return this; }

        /** Required. */
        public Builder store(DeviceAuthorizationStore store) { this.store = once(this.store, store, "store"); return this; }

        /** Required. */
        public Builder clientRegistry(ClientRegistry registry) { this.clientRegistry = once(this.clientRegistry, registry, "clientRegistry"); return this; }

        /** Required. */
        public Builder tokenIssuer(TokenIssuer issuer) { this.tokenIssuer = once(this.tokenIssuer, issuer, "tokenIssuer"); return this; }

        /**
         * Asked at redemption whether the approving account may still receive tokens (a locked,
         * disabled or deleted account gets none). Default: every account may.
         */
        public Builder accountCheck(AccountCheck check) { this.accountCheck = once(this.accountCheck, check, "accountCheck"); return this; }

        /** User-code entry budgets (RFC 8628 §5.1). Required. */
        public Builder attemptLimiter(AttemptLimiter limiter) { this.attemptLimiter = once(this.attemptLimiter, limiter, "attemptLimiter"); return this; }

        /** Default: {@link DeviceGrantListener#slf4j()}. */
        public Builder listener(DeviceGrantListener listener) { this.listener = once(this.listener, listener, "listener"); return this; }

        /** Default: the system UTC clock. */
        public Builder clock(Clock clock) { this.clock = once(this.clock, clock, "clock"); return this; }

        /** Default: a new {@code SecureRandom}. */
        public Builder random(SecureRandom random) { this.random = once(this.random, random, "random"); return this; }

        /** Default: {@link UserCodeFormat#BASE20}, {@code XXXX-XXXX}. */
        public Builder userCodeFormat(UserCodeFormat format) { this.userCodeFormat = once(this.userCodeFormat, format, "userCodeFormat"); return this; }

        /** Lifetime of both codes, {@code expires_in}. Default 600 s; allowed 60–3600 s. */
        public Builder codeLifetime(Duration lifetime) { this.codeLifetime = once(this.codeLifetime, lifetime, "codeLifetime"); return this; }

        /** Minimum time between polls, {@code interval}. Default 5 s; allowed 1–60 s in whole seconds. */
        public Builder pollingInterval(Duration interval) { this.pollingInterval = once(this.pollingInterval, interval, "pollingInterval"); return this; }

        /** How much earlier than the interval a poll may come without {@code slow_down}. Default 500 ms; allowed 0 to half the interval. */
        public Builder pollTolerance(Duration tolerance) { this.pollTolerance = once(this.pollTolerance, tolerance, "pollTolerance"); return this; }

        /** Random bytes in a device code. Default 32; allowed 16–64. */
        public Builder deviceCodeBytes(int bytes) { this.deviceCodeBytes = once(this.deviceCodeBytes, bytes, "deviceCodeBytes"); return this; }

        /** The HMAC key that hashes user codes for storage: at least 32 bytes, the same on every node. Required. */
        public Builder userCodeKey(byte[] key) { this.userCodeKey = once(this.userCodeKey, key == null ? null : key.clone(), "userCodeKey"); return this; }

        /** Cap on pending authorizations of one client. Default 100; allowed 1–10,000,000. */
        public Builder maxPendingPerClient(long max) { this.maxPendingPerClient = once(this.maxPendingPerClient, max, "maxPendingPerClient"); return this; }

        /** Cap on pending authorizations of one tenant: the A_max of the brute-force estimate. Default 1,000; allowed 1–10,000,000. */
        public Builder maxPendingPerTenant(long max) { this.maxPendingPerTenant = once(this.maxPendingPerTenant, max, "maxPendingPerTenant"); return this; }

        /** The accepted expected number of user codes guessed per day (REQ-UC-4). Default 0.01; allowed (0, 1]. */
        public Builder acceptedRiskPerDay(double risk) { this.acceptedRiskPerDay = once(this.acceptedRiskPerDay, risk, "acceptedRiskPerDay"); return this; }

        /**
         * Also accept {@code application/json} request bodies: one object of string members, with
         * snake_case or camelCase names ({@code clientId}, {@code deviceCode}, ...), held to the same
         * checks as forms. Off by default: RFC 8628 and RFC 6749 specify form encoding.
         */
        public Builder acceptJsonBodies() { this.acceptJsonBodies = true; return this; }

        /**
         * The public client to use when a request names no client at all (no {@code client_id}, no
         * credentials). Off unless set. The client must exist in every tenant that serves such
         * requests, and must be public.
         */
        public Builder defaultClientId(String clientId) { this.defaultClientId = once(this.defaultClientId, clientId, "defaultClientId"); return this; }

        /**
         * Settings per tenant: code lifetime, polling interval, user-code format, {@code qr_code},
         * and the tenant's pending cap. Unset fields inherit this builder's. Clients override their
         * tenant's through {@link RegisteredClient.Builder#deviceSettings}. Default: every tenant inherits.
         */
        public Builder tenantSettings(Function<String, DeviceSettings> settingsOfTenant) {
            this.tenantSettings = once(this.tenantSettings, settingsOfTenant, "tenantSettings");
            return this;
        }

        /**
         * Further user-code formats that tenants or clients may choose, besides
         * {@link #userCodeFormat}. The verification page accepts a code of any declared format; each
         * is held to the brute-force budget (REQ-UC-4) at {@link #build()}.
         */
        public Builder userCodeFormats(UserCodeFormat... formats) {
            additionalFormats.addAll(List.of(formats));
            return this;
        }

        /**
         * Keep the devices each user linked (an authorization that produced tokens), for a
         * "Your devices" page; {@code revocation} is called when the user unlinks one. Off unless set.
         */
        public Builder linkedDevices(LinkedDeviceStore store, DeviceRevocation revocation) {
            this.linkedDeviceStore = once(this.linkedDeviceStore, store, "linkedDevices");
            this.deviceRevocation = Objects.requireNonNull(revocation, "revocation");
            return this;
        }

        /** Start even when the brute-force estimate exceeds the accepted risk, logging a warning instead of failing. */
        public Builder acceptBruteForceRisk() { this.riskAccepted = true; return this; }

        public DeviceGrant build() {
            require(issuer, "issuer");
            checkIssuer(issuer);
            require(verificationUri, "verificationUri");
            require(store, "store");
            require(clientRegistry, "clientRegistry");
            require(tokenIssuer, "tokenIssuer");
            require(attemptLimiter, "attemptLimiter");
            require(userCodeKey, "userCodeKey");
            Clock clk = clock != null ? clock : Defaults.clock();
            SecureRandom rnd = random != null ? random : Defaults.secureRandom();
            UserCodeFormat format = userCodeFormat != null ? userCodeFormat : UserCodeFormat.BASE20;
            long perTenant = inRange(maxPendingPerTenant, 1_000L, 1L, DeviceSettings.MAX_PENDING_LIMIT,
                    "maxPendingPerTenant");
            DeviceSettings defaults = new DeviceSettings(codeLifetime != null ? codeLifetime : Duration.ofSeconds(600),
                    pollingInterval != null ? pollingInterval : Duration.ofSeconds(5), format, false, perTenant);
            Duration interval = defaults.pollingInterval();
            Duration tolerance = inRange(pollTolerance, Duration.ofMillis(500), Duration.ZERO, interval.dividedBy(2),
                    "pollTolerance");
            int codeBytes = deviceCodeBytes != null ? deviceCodeBytes : DeviceCodeGenerator.DEFAULT_BYTES;
            if (codeBytes < DeviceCodeGenerator.MIN_BYTES || codeBytes > 64) {
                throw new IllegalArgumentException("deviceCodeBytes must be between " + DeviceCodeGenerator.MIN_BYTES
                        + " and 64, was " + codeBytes);
            }
            long perClient = inRange(maxPendingPerClient, 100L, 1L, DeviceSettings.MAX_PENDING_LIMIT, "maxPendingPerClient");
            double accepted = acceptedRiskPerDay != null ? acceptedRiskPerDay : 0.01;
            if (!(accepted > 0 && accepted <= 1)) {
                throw new IllegalArgumentException("acceptedRiskPerDay must be in (0, 1], was " + accepted);
            }
            List<UserCodeFormat> formats = new ArrayList<>(List.of(format));
            additionalFormats.stream().filter(f -> !formats.contains(f)).forEach(formats::add);
            double failuresPerDay = attemptLimiter.policy().globalFailuresPerDay();
            BruteForceRisk risk = new BruteForceRisk(format.codeSpace(), perTenant, failuresPerDay);
            for (UserCodeFormat declared : formats) {
                BruteForceRisk r = new BruteForceRisk(declared.codeSpace(), perTenant, failuresPerDay);
                if (r.expectedHitsPerDay() > accepted) {
                    String message = "The user-code format " + declared.mask() + " is too weak for the limits "
                            + "(REQ-UC-4): " + r.describe() + " exceeds acceptedRiskPerDay " + accepted + ". Use a "
                            + "longer userCodeFormat, a lower maxPendingPerTenant or a smaller global failure budget "
                            + "in the attempt limiter's policy";
                    if (!riskAccepted) {
                        throw new IllegalArgumentException(message);
                    }
                    LOG.warn("{} (accepted by configuration)", message);
                }
            }
            SettingsResolver settings = new SettingsResolver(defaults, perClient,
                    tenantSettings != null ? tenantSettings : tenant -> DeviceSettings.inherit(), formats,
                    failuresPerDay, accepted, riskAccepted);
            URI deviceEndpoint = deviceAuthorizationEndpoint != null ? deviceAuthorizationEndpoint
                    : child(issuer, "oauth2/device_authorization");
            URI tokenUri = tokenEndpoint != null ? tokenEndpoint : child(issuer, "oauth2/token");
            ClientAuthenticator authenticator = ClientAuthenticator.builder()
                    .registry(clientRegistry)
                    .clock(clk)
                    .acceptedAudiences(Set.of(issuer, deviceEndpoint, tokenUri))
                    .attemptLimiter(attemptLimiter)
                    .build();
            Function<String, String> complete;
            if (verificationUriComplete != null) {
                Function<String, URI> custom = verificationUriComplete;
                complete = userCode -> custom.apply(userCode).toString();
            } else {
                String prefix = verificationUri + (verificationUri.getRawQuery() == null ? "?" : "&") + "user_code=";
                complete = userCode -> prefix + URLEncoder.encode(userCode, StandardCharsets.UTF_8);
            }
            GrantContext ctx = new GrantContext(clk, rnd, store, clientRegistry, authenticator, tokenIssuer,
                    accountCheck != null ? accountCheck : AccountCheck.allowAll(),
                    attemptLimiter, listener != null ? listener : DeviceGrantListener.slf4j(),
                    new CodeHasher(userCodeKey), new DeviceCodeGenerator(rnd, codeBytes), settings,
                    new StateMachine(new PollingPolicy(tolerance)), verificationUri, complete, acceptJsonBodies,
                    defaultClientId, linkedDeviceStore);
            LinkedDevices linked = linkedDeviceStore == null ? null
                    : new LinkedDevices(linkedDeviceStore, deviceRevocation, clk);
            return new DeviceGrant(ctx, deviceEndpoint, tokenUri, risk, linked);
        }

        private static <T> T once(T current, T value, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
            return Objects.requireNonNull(value, name);
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " is required");
            }
        }

        private static <T extends Comparable<T>> T inRange(T value, T fallback, T min, T max, String name) {
            T v = value != null ? value : fallback;
            if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + v);
            }
            return v;
        }

        /** RFC 8414 §2 (M01): https, no query, no fragment; http is let through for localhost demos. */
        private static void checkIssuer(URI issuer) {
            String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
            String host = issuer.getHost() == null ? "" : issuer.getHost();
            boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
            if (!(scheme.equals("https") || scheme.equals("http") && local)) {
                throw new IllegalArgumentException("issuer must be an https URL (http only for localhost), was " + issuer);
            }
            if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
                throw new IllegalArgumentException("issuer must have no query or fragment, was " + issuer);
            }
        }

        private static URI child(URI base, String path) {
            String s = base.toString();
            return URI.create(s.endsWith("/") ? s + path : s + "/" + path);
        }
    }
}
