package org.devicegrant.clientauth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import org.devicegrant.DeviceSettings;
import org.devicegrant.internal.Setting;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A client as the device grant sees it. Immutable; built with {@link #builder(String)}.
 *
 * @param clientId              the {@code client_id}
 * @param name                  the name shown on the consent screen
 * @param authenticationMethods how the client may authenticate; {@code none} alone for a public
 *                              client (RFC 8628 §5.6: devices are usually public clients)
 * @param secret                checks {@code client_secret_basic} / {@code client_secret_post};
 *                              null unless one of those methods is allowed
 * @param jwkSet                public keys for {@code private_key_jwt}; null unless that method is
 *                              allowed
 * @param allowedScopes         scopes the client may request
 * @param deviceGrantEnabled    whether the client may use the device grant at all
 * @param alwaysIssueRefreshToken whether a refresh token is issued even without {@code offline_access}
 * @param enabled               a disabled client is refused with {@code unauthorized_client}
 * @param deviceSettings        the client's own device-grant settings; unset fields inherit the tenant's;
 *                              {@link DeviceSettings#deviceCodeGrantTypeAlias()} is a tenant's only
 * @param mayIntrospect         whether the client may call the introspection endpoint (RFC 7662 §2.1), as a
 *                              resource server does; only a confidential client may
 */
public record OAuthClient(
        String clientId,
        String name,
        Set<ClientAuthenticationMethod> authenticationMethods,
        ClientSecret secret,
        JWKSet jwkSet,
        Set<String> allowedScopes,
        boolean deviceGrantEnabled,
        boolean alwaysIssueRefreshToken,
        boolean enabled,
        DeviceSettings deviceSettings,
        boolean mayIntrospect) {

    public OAuthClient {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        name = name == null || name.isBlank() ? clientId : name;
        authenticationMethods = Set.copyOf(Objects.requireNonNull(authenticationMethods, "authenticationMethods"));
        if (authenticationMethods.isEmpty()) {
            throw new IllegalArgumentException("client " + clientId + " needs at least one authentication method");
        }
        boolean usesSecret = authenticationMethods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                || authenticationMethods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        if (usesSecret && secret == null) {
            throw new IllegalArgumentException("client " + clientId + " allows a client secret method but has no secret");
        }
        if (authenticationMethods.contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT) && jwkSet == null) {
            throw new IllegalArgumentException("client " + clientId + " allows private_key_jwt but has no JWK set");
        }
        if (authenticationMethods.contains(ClientAuthenticationMethod.NONE) && authenticationMethods.size() > 1) {
            throw new IllegalArgumentException("client " + clientId + " is public (none) and cannot also use other methods");
        }
        allowedScopes = Set.copyOf(Objects.requireNonNull(allowedScopes, "allowedScopes"));
        deviceSettings = deviceSettings == null ? DeviceSettings.inherit() : deviceSettings;
        if (deviceSettings.deviceCodeGrantTypeAlias() != null) {
            // the grant type is decided before the client is known, so only a tenant can set it
            throw new IllegalArgumentException("client " + clientId + ": deviceCodeGrantTypeAlias is a tenant setting "
                    + "(DeviceGrant.Builder#tenantSettings), not a client's");
        }
        if (mayIntrospect && authenticationMethods.contains(ClientAuthenticationMethod.NONE)) {
            // RFC 7662 §4: the endpoint MUST require authentication; a public client has no credential
            throw new IllegalArgumentException("client " + clientId + " is public (none) and cannot be allowed to introspect");
        }
    }

    public static Builder builder(String clientId) {
        return new Builder(clientId);
    }

    /**
     * Assembles a {@link OAuthClient}. Defaults: public, device grant on, enabled, no scopes.
     * Each setting may be set once; a second call throws {@link IllegalStateException}. Not
     * thread-safe.
     */
    public static final class Builder {
        private final String clientId;
        private String name;
        private ClientSecret secret;
        private JWKSet jwkSet;
        private Set<ClientAuthenticationMethod> authenticationMethods;
        private Set<String> allowedScopes;
        private Boolean deviceGrantEnabled;
        private Boolean alwaysIssueRefreshToken;
        private Boolean enabled;
        private DeviceSettings deviceSettings;
        private Boolean mayIntrospect;

        private Builder(String clientId) {
            this.clientId = clientId;
        }

        /** The name shown on the consent screen. Default: the client id. */
        public Builder name(String name) {
            this.name = Setting.once(this.name, name, "name");
            return this;
        }

        /** A confidential client using {@code client_secret_basic} and {@code client_secret_post}. */
        public Builder secret(ClientSecret secret) {
            this.secret = Setting.once(this.secret, secret, "secret");
            return this;
        }

        /** A confidential client using {@code private_key_jwt} with these public keys. */
        public Builder jwkSet(JWKSet jwkSet) {
            this.jwkSet = Setting.once(this.jwkSet, jwkSet, "jwkSet");
            return this;
        }

        /**
         * The methods the client may authenticate with, instead of those that {@link #secret} and
         * {@link #jwkSet} imply (e.g. {@code client_secret_basic} alone).
         */
        public Builder authenticationMethods(Set<ClientAuthenticationMethod> authenticationMethods) {
            this.authenticationMethods = Setting.once(this.authenticationMethods,
                    Set.copyOf(Objects.requireNonNull(authenticationMethods, "authenticationMethods")),
                    "authenticationMethods");
            return this;
        }

        /** Scopes the client may request. Default none. */
        public Builder allowedScopes(Set<String> scopes) {
            this.allowedScopes = Setting.once(this.allowedScopes, scopes, "allowedScopes");
            return this;
        }

        /** Whether the client may use the device grant at all. Default true. */
        public Builder deviceGrantEnabled(boolean on) {
            this.deviceGrantEnabled = Setting.once(this.deviceGrantEnabled, on, "deviceGrantEnabled");
            return this;
        }

        /** Whether a refresh token is issued even without {@code offline_access}. Default false. */
        public Builder alwaysIssueRefreshToken(boolean on) {
            this.alwaysIssueRefreshToken = Setting.once(this.alwaysIssueRefreshToken, on, "alwaysIssueRefreshToken");
            return this;
        }

        /** A disabled client is refused with {@code unauthorized_client}. Default true. */
        public Builder enabled(boolean on) {
            this.enabled = Setting.once(this.enabled, on, "enabled");
            return this;
        }

        /** The client's own device-grant settings. Default: all inherited from its tenant. */
        public Builder deviceSettings(DeviceSettings settings) {
            this.deviceSettings = Setting.once(this.deviceSettings, settings, "deviceSettings");
            return this;
        }

        /**
         * Whether the client may call the introspection endpoint, as a resource server does. Only for
         * a confidential client. Default false.
         */
        public Builder mayIntrospect(boolean on) {
            this.mayIntrospect = Setting.once(this.mayIntrospect, on, "mayIntrospect");
            return this;
        }

        public OAuthClient build() {
            Set<ClientAuthenticationMethod> implied = new LinkedHashSet<>();
            if (secret != null) {
                implied.add(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
                implied.add(ClientAuthenticationMethod.CLIENT_SECRET_POST);
            }
            if (jwkSet != null) {
                implied.add(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
            }
            Set<ClientAuthenticationMethod> chosen = authenticationMethods != null ? authenticationMethods
                    : implied.isEmpty() ? Set.of(ClientAuthenticationMethod.NONE) : implied;
            return new OAuthClient(clientId, name, chosen, secret, jwkSet,
                    allowedScopes != null ? allowedScopes : Set.of(),
                    deviceGrantEnabled == null || deviceGrantEnabled,
                    alwaysIssueRefreshToken != null && alwaysIssueRefreshToken,
                    enabled == null || enabled,
                    deviceSettings,
                    mayIntrospect != null && mayIntrospect);
        }
    }
}
