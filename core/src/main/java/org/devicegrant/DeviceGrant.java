package org.devicegrant;

import org.devicegrant.internal.DeviceAuthorizationEndpoint;
import org.devicegrant.internal.GrantContext;
import org.devicegrant.internal.GrantEvents;
import org.devicegrant.internal.IntrospectionEndpoint;
import org.devicegrant.internal.RevocationEndpoint;
import org.devicegrant.internal.Setting;
import org.devicegrant.internal.TokenEndpoint;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import org.devicegrant.clientauth.ClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.BruteForceRisk;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.DeviceAuthorizationStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628), ready to be routed to. Build one at
 * start-up with {@link #builder()}, hand it the device authorization and token requests, and
 * call {@link #verification()} from the verification page.
 *
 * <pre>{@code
 * DeviceGrant grant = DeviceGrant.builder()
 *         .endpoints(Endpoints.of(URI.create("https://id.example.com"),
 *                 URI.create("https://id.example.com/device")))
 *         .store(InMemoryDeviceAuthorizationStore.create())
 *         .attemptLimiter(new InMemoryAttemptLimiter())
 *         .clientRegistry(clients)
 *         .issuance(Issuance.by(jwtIssuer))
 *         .userCodeKey(secretFromVault)
 *         .build();
 * }</pre>
 *
 * <p><b>Thread-safety.</b> A grant is immutable once built and safe to share between any number
 * of threads; build one per issuer at start-up. Every collaborator (clock, randomness, store,
 * client registry, token issuer, attempt limiter) is injected and must be thread-safe itself.
 *
 * <p><b>Blocking.</b> These calls do store and token-issuer I/O, and run the host's {@link Hooks}
 * (account check, revocation, listener), on the calling thread, which they block for as long as
 * that takes: {@link #deviceAuthorization}, {@link #token}, {@link #revocation}, {@link #introspection},
 * every method of {@link Verification}
 * and of {@link LinkedDevices}, and {@link #purgeExpired}. A thread-per-request
 * host (servlets, the JDK's HTTP server) calls them directly. An event-loop host (Netty, Vert.x,
 * WebFlux) must never call them on an event-loop thread: offload each call to a worker pool (e.g.
 * Vert.x {@code executeBlocking}, Reactor {@code Mono.fromCallable(...).subscribeOn(
 * Schedulers.boundedElastic())}) and write the response when it completes. {@link #metadata()} and
 * {@link #handlesGrantType} never block.
 */
public final class DeviceGrant {

    private final GrantContext ctx;
    private final DeviceAuthorizationEndpoint deviceAuthorizationEndpoint;
    private final TokenEndpoint tokenEndpoint;
    private final RevocationEndpoint revocationEndpoint;
    private final IntrospectionEndpoint introspectionEndpoint;
    private final Verification verification;
    private final LinkedDevices linkedDevices;

    private DeviceGrant(GrantContext ctx, LinkedDevices linkedDevices) {
        this.ctx = ctx;
        this.deviceAuthorizationEndpoint = new DeviceAuthorizationEndpoint(ctx);
        this.tokenEndpoint = new TokenEndpoint(ctx);
        this.revocationEndpoint = new RevocationEndpoint(ctx);
        this.introspectionEndpoint = new IntrospectionEndpoint(ctx);
        this.verification = new Verification(ctx);
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
     * Handles a POST to the token endpoint carrying the device_code grant (RFC 8628 §3.4; written
     * {@code grant_type=device_code} too where the tenant opted in to that alias), or the
     * refresh_token grant (RFC 6749 §6) when grants are kept. A host
     * with its own token endpoint routes here when {@link #handlesGrantType} says so. Never throws.
     */
    public DeviceGrantResponse token(DeviceGrantRequest request) {
        return tokenEndpoint.handle(request);
    }

    /**
     * Handles a POST to the revocation endpoint (RFC 7009): a refresh token or an access token of
     * the requesting client revokes the grant it belongs to, and with it every token of that grant.
     * Clients authenticate as at the token endpoint (public clients by {@code client_id}). Answers
     * 200 whether or not anything was revoked; {@code unsupported_token_type} when no grants are kept
     * ({@link Issuance#withGrants}). Never throws.
     */
    public DeviceGrantResponse revocation(DeviceGrantRequest request) {
        return revocationEndpoint.handle(request);
    }

    /**
     * Handles a POST to the introspection endpoint (RFC 7662), for confidential clients allowed to
     * introspect ({@link OAuthClient.Builder#mayIntrospect}), such as resource servers. A public
     * client gets {@code invalid_client}; an authenticated client not allowed to introspect
     * {@code unauthorized_client}. With grants kept, an access token is active only while its grant
     * is; without, while its signature and lifetime hold (nothing can be revoked then). Never throws.
     */
    public DeviceGrantResponse introspection(DeviceGrantRequest request) {
        return introspectionEndpoint.handle(request);
    }

    /**
     * True for {@code urn:ietf:params:oauth:grant-type:device_code}, and for {@code refresh_token}
     * when grants are kept ({@link Issuance#withGrants}): the grant types to route to {@link #token}.
     */
    public boolean handlesGrantType(String grantType) {
        return tokenEndpoint.handlesGrantType(grantType);
    }

    /**
     * As {@link #handlesGrantType(String)} for a request of {@code tenant}: also true for
     * {@code device_code} where the tenant takes it as the device-code URN
     * ({@link DeviceSettings#withDeviceCodeGrantTypeAlias}). Calls the host's
     * {@link Builder#tenantSettings} function.
     */
    public boolean handlesGrantType(String tenant, String grantType) {
        return tokenEndpoint.handlesGrantType(tenant, grantType);
    }

    /** The verification API for the host's pages. */
    public Verification verification() {
        return verification;
    }

    /**
     * What this grant adds to the host's RFC 8414 and OpenID discovery documents (RFC 8628 §4):
     * {@code device_authorization_endpoint}, the device grant type in
     * {@code grant_types_supported}, and the client authentication methods with the signing
     * algorithms {@code private_key_jwt} accepts (RFC 8414 §2); when grants are kept
     * ({@link Issuance#withGrants}), the revocation (RFC 7009) and introspection (RFC 7662) endpoints
     * with their authentication methods (RFC 8414 §2), which the host then routes to
     * {@link #revocation} and {@link #introspection}. Merge these lists into the host's own.
     */
    public Map<String, Object> metadata() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("device_authorization_endpoint", ctx.endpoints().deviceAuthorizationEndpoint().toString());
        metadata.put("token_endpoint", ctx.endpoints().tokenEndpoint().toString());
        metadata.put("grant_types_supported", ctx.grants() == null ? List.of(GrantType.DEVICE_CODE.getValue())
                : List.of(GrantType.DEVICE_CODE.getValue(), GrantType.REFRESH_TOKEN.getValue()));
        List<String> clientMethods = List.of(
                ClientAuthenticationMethod.NONE.getValue(),
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
                ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue(),
                ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue());
        authMethods(metadata, "token_endpoint", clientMethods);
        if (ctx.grants() != null) {
            metadata.put("revocation_endpoint", ctx.endpoints().revocationEndpoint().toString());
            authMethods(metadata, "revocation_endpoint", clientMethods);
            metadata.put("introspection_endpoint", ctx.endpoints().introspectionEndpoint().toString());
            // RFC 7662 §2.1: introspection requires client authentication, so "none" is not offered
            authMethods(metadata, "introspection_endpoint", clientMethods.subList(1, clientMethods.size()));
        }
        return metadata;
    }

    /** An endpoint's {@code *_auth_methods_supported}, and the signing algorithms its JWT method needs. */
    private void authMethods(Map<String, Object> metadata, String endpoint, List<String> methods) {
        metadata.put(endpoint + "_auth_methods_supported", methods);
        // RFC 8414 §2: *_auth_signing_alg_values_supported "MUST be present if either of these
        // authentication methods [private_key_jwt, client_secret_jwt] are specified"
        if (methods.contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue())) {
            metadata.put(endpoint + "_auth_signing_alg_values_supported", ctx.clientAssertionAlgorithms());
        }
    }

    /**
     * The devices users linked, for a "Your devices" page: their active grants. Linked devices are
     * kept only as grants, so a grant that keeps none has none to list or unlink; it says so instead
     * of showing an empty list while devices still hold tokens.
     *
     * @throws IllegalStateException grants are not kept ({@link Issuance#withGrants})
     */
    public LinkedDevices linkedDevices() {
        if (linkedDevices == null) {
            throw new IllegalStateException("linked devices are the active grants, and this grant keeps none:"
                    + " keep grants with Issuance.by(issuer).withGrants(store) (Issuance#withGrants)");
        }
        return linkedDevices;
    }

    /**
     * The brute-force estimate of the default user-code format at the pending cap per tenant, as
     * checked at build against {@link CodePolicy#acceptedRiskPerDay()} (RFC 8628 §5.1).
     */
    public BruteForceRisk bruteForceRisk() {
        return ctx.bruteForceRisk();
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
     * Wires a {@link DeviceGrant} from settings records that check themselves ({@link Endpoints},
     * {@link CodePolicy}, {@link Polling}, {@link Hooks}) and the host's collaborators. Each setter
     * may be called once (a second call throws {@link IllegalStateException}); {@link #build()}
     * rejects a missing setting, or settings that do not fit together, with an
     * {@link InvalidSettingException} naming the setting and its allowed range. Not thread-safe.
     */
    public static final class Builder {
        private Endpoints endpoints;
        private CodePolicy codePolicy;
        private Polling polling;
        private Hooks hooks;
        private Function<String, DeviceSettings> tenantSettings;
        private DeviceAuthorizationStore store;
        private ClientRegistry clientRegistry;
        private Issuance issuance;
        private AttemptLimiter attemptLimiter;
        private byte[] userCodeKey;
        private Clock clock;
        private SecureRandom random;

        private Builder() {
        }

        /** The issuer, the verification page and what the endpoints accept. Required. */
        public Builder endpoints(Endpoints endpoints) {
            this.endpoints = Setting.once(this.endpoints, endpoints, "endpoints");
            return this;
        }

        /**
         * User-code formats, code lifetime and size, pending caps, accepted brute-force risk.
         * Default {@link CodePolicy#defaults()}.
         */
        public Builder codePolicy(CodePolicy policy) {
            this.codePolicy = Setting.once(this.codePolicy, policy, "codePolicy");
            return this;
        }

        /** Polling interval and tolerance. Default {@link Polling#defaults()}. */
        public Builder polling(Polling polling) {
            this.polling = Setting.once(this.polling, polling, "polling");
            return this;
        }

        /** Listener, account check, revocation on unlink. Default {@link Hooks#defaults()}. */
        public Builder hooks(Hooks hooks) {
            this.hooks = Setting.once(this.hooks, hooks, "hooks");
            return this;
        }

        /**
         * Settings per tenant: code lifetime, polling interval, user-code format, {@code qr_code},
         * the tenant's pending cap, refresh-token lifetimes, and whether its token endpoint takes
         * {@code grant_type=device_code} as the device-code URN
         * ({@link DeviceSettings#withDeviceCodeGrantTypeAlias}; off by default). Unset fields inherit
         * the grant's. Clients override their tenant's through
         * {@link OAuthClient.Builder#deviceSettings}. Default: every tenant inherits.
         */
        public Builder tenantSettings(Function<String, DeviceSettings> settingsOfTenant) {
            this.tenantSettings = Setting.once(this.tenantSettings, settingsOfTenant, "tenantSettings");
            return this;
        }

        /** Required. */
        public Builder store(DeviceAuthorizationStore store) {
            this.store = Setting.once(this.store, store, "store");
            return this;
        }

        /** Required. */
        public Builder clientRegistry(ClientRegistry registry) {
            this.clientRegistry = Setting.once(this.clientRegistry, registry, "clientRegistry");
            return this;
        }

        /** Who signs the tokens, and whether grants are kept after them ({@link Issuance}). Required. */
        public Builder issuance(Issuance issuance) {
            this.issuance = Setting.once(this.issuance, issuance, "issuance");
            return this;
        }

        /**
         * User-code entry budgets (RFC 8628 §5.1), and client-secret budgets per source address
         * (RFC 6749 §2.3.1; {@link org.devicegrant.http.DeviceGrantRequest#remoteAddress()} names the
         * source). Required.
         */
        public Builder attemptLimiter(AttemptLimiter limiter) {
            this.attemptLimiter = Setting.once(this.attemptLimiter, limiter, "attemptLimiter");
            return this;
        }

        /** The HMAC key that hashes user codes for storage: at least 32 bytes, the same on every node. Required. */
        public Builder userCodeKey(byte[] key) {
            this.userCodeKey = Setting.once(this.userCodeKey, key == null ? null : key.clone(), "userCodeKey");
            return this;
        }

        /** Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Setting.once(this.clock, clock, "clock");
            return this;
        }

        /** Default: a new {@code SecureRandom}. */
        public Builder random(SecureRandom random) {
            this.random = Setting.once(this.random, random, "random");
            return this;
        }

        /**
         * @throws InvalidSettingException a required setting is missing, the user-code key is too
         *                                 short, a declared user-code format is too weak for the
         *                                 pending cap per tenant (RFC 8628 §5.1), or a revocation hook
         *                                 is set while grants are not kept
         */
        public DeviceGrant build() {
            Setting.required(endpoints, "endpoints", "Endpoints.of(issuer, verificationUri)");
            Setting.required(store, "store", "a DeviceAuthorizationStore");
            Setting.required(clientRegistry, "clientRegistry", "a ClientRegistry");
            Setting.required(issuance, "issuance", "Issuance.by(tokenIssuer)");
            Setting.required(attemptLimiter, "attemptLimiter", "an AttemptLimiter");
            Setting.required(userCodeKey, "userCodeKey", "at least 32 secret bytes, the same on every node");
            Clock clk = clock != null ? clock : Defaults.clock();
            Hooks h = hooks != null ? hooks : Hooks.defaults();
            GrantContext ctx = GrantContext.assemble(endpoints, codePolicy != null ? codePolicy : CodePolicy.defaults(),
                    polling != null ? polling : Polling.defaults(), h,
                    tenantSettings != null ? tenantSettings : tenant -> DeviceSettings.inherit(),
                    store, clientRegistry, issuance, attemptLimiter, userCodeKey, clk,
                    random != null ? random : Defaults.secureRandom());
            // the revocation hook is called on unlink, and only kept grants can be unlinked
            Setting.require(issuance.grants() != null || h.revocation() == null, "revocation",
                    "set only when grants are kept (Issuance#withGrants): it is called when a linked device,"
                            + " an active grant, is unlinked", "a revocation hook without a grant store");
            LinkedDevices linked = issuance.grants() != null
                    ? new LinkedDevices(issuance.grants(), h.revocation(), new GrantEvents(h.listener()), clk)
                    : null;
            return new DeviceGrant(ctx, linked);
        }
    }
}
