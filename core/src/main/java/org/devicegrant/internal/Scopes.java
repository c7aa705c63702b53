package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.devicegrant.clientauth.OAuthClient;

import java.util.LinkedHashSet;
import java.util.Set;

/** The {@code scope} parameter (RFC 6749 §3.3), read and checked against a client. */
final class Scopes {

    private Scopes() {
    }

    /**
     * The requested scopes, each one the client is allowed; empty when the parameter is absent.
     * The returned strings are the client's own instances, so that stored records share them.
     *
     * @throws RequestRejected {@code invalid_scope} for a malformed or disallowed scope
     */
    static Set<String> requested(String scope, OAuthClient client) throws RequestRejected {
        Set<String> result = new LinkedHashSet<>();
        if (scope == null) {
            return result;
        }
        for (String token : scope.split(" ", -1)) {
            // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), delimited by one space
            if (!isScopeToken(token)) {
                throw new RequestRejected(OAuth2Error.INVALID_SCOPE.setDescription("The scope parameter is malformed"));
            }
            String allowed = allowedInstance(client.allowedScopes(), token);
            if (allowed == null) {
                throw new RequestRejected(OAuth2Error.INVALID_SCOPE
                        .setDescription("The scope " + token + " is not allowed for this client"));
            }
            result.add(allowed);
        }
        return result;
    }

    static boolean isScopeToken(String token) {
        if (token.isEmpty()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String allowedInstance(Set<String> allowed, String token) {
        if (!allowed.contains(token)) {
            return null;
        }
        for (String candidate : allowed) {
            if (candidate.equals(token)) {
                return candidate;
            }
        }
        return null;
    }
}
