package org.devicegrant.clientauth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import org.devicegrant.DeviceSettings;

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
 * @param deviceSettings        the client's own device-grant settings; unset fields inherit the tenant's
 */
public record RegisteredClient(
        String clientId,
        String name,
        Set<ClientAuthenticationMethod> authenticationMethods,
        ClientSecret secret,
        JWKSet jwkSet,
        Set<String> allowedScopes,
        boolean deviceGrantEnabled,
        boolean alwaysIssueRefreshToken,
        boolean enabled,
        DeviceSettings deviceSettings) {

    public RegisteredClient {
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
    }

    /** True when the client authenticates with {@code none}: it only identifies itself. */
    public boolean isPublic() {
        return authenticationMethods.contains(ClientAuthenticationMethod.NONE);
    }

    public static Builder builder(String clientId) {
        return new Builder(clientId);
    }

    /** Assembles a {@link RegisteredClient}. Defaults: public, device grant on, enabled, no scopes. */
    public static final class Builder {
        private final String clientId;
        private String name;
        private final Set<ClientAuthenticationMethod> methods = new LinkedHashSet<>();
        private ClientSecret secret;
        private JWKSet jwkSet;
        private Set<String> allowedScopes = Set.of();
        private boolean deviceGrantEnabled = true;
        private boolean alwaysIssueRefreshToken;
        private boolean enabled = true;
        private DeviceSettings deviceSettings = DeviceSettings.inherit();

        private Builder(String clientId) {
            this.clientId = clientId;
        }

        public Builder name(String name) { this.name = name; return this; }

        /** A confidential client using {@code client_secret_basic} and {@code client_secret_post}. */
        public Builder secret(ClientSecret secret) {
            this.secret = secret;
            methods.add(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
            methods.add(ClientAuthenticationMethod.CLIENT_SECRET_POST);
            return this;
        }

        /** A confidential client using {@code private_key_jwt} with these public keys. */
        public Builder jwkSet(JWKSet jwkSet) {
            this.jwkSet = jwkSet;
            methods.add(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
            return this;
        }

        /** Replaces the authentication methods chosen so far. */
        public Builder authenticationMethods(Set<ClientAuthenticationMethod> authenticationMethods) {
            methods.clear();
            methods.addAll(authenticationMethods);
            return this;
        }

        public Builder allowedScopes(Set<String> scopes) { this.allowedScopes = scopes; return this; }
        public Builder deviceGrantEnabled(boolean on) { this.deviceGrantEnabled = on; return this; }
        public Builder alwaysIssueRefreshToken(boolean on) { this.alwaysIssueRefreshToken = on; return this; }
        public Builder enabled(boolean on) { this.enabled = on; return this; }
        public Builder deviceSettings(DeviceSettings settings) { this.deviceSettings = settings; return this; }

        public RegisteredClient build() {
            Set<ClientAuthenticationMethod> chosen = methods.isEmpty() ? Set.of(ClientAuthenticationMethod.NONE) : methods;
            return new RegisteredClient(clientId, name, chosen, secret, jwkSet, allowedScopes, deviceGrantEnabled,
                    alwaysIssueRefreshToken, enabled, deviceSettings);
        }
    }
}
