package org.devicegrant;

import org.devicegrant.storage.GrantStore;
import org.devicegrant.token.TokenIssuer;

import java.util.Objects;

/**
 * What the grant issues when a device code is redeemed, and what it keeps of it afterwards.
 * Immutable.
 *
 * <pre>{@code
 * Issuance.by(jwtIssuer)                      // access (and ID) tokens; nothing kept after them
 * Issuance.by(jwtIssuer).withGrants(grants)   // also grants: refresh tokens, revocation, introspection
 * }</pre>
 *
 * @param issuer signs the tokens; required
 * @param grants where grants and the hashes of their refresh tokens live; null: no grants are kept,
 *               so no refresh tokens are issued and nothing can be revoked or introspected
 */
public record Issuance(TokenIssuer issuer, GrantStore grants) {

    public Issuance {
        Objects.requireNonNull(issuer, "issuer");
    }

    /** Tokens signed by {@code issuer}; no grants kept. */
    public static Issuance by(TokenIssuer issuer) {
        return new Issuance(issuer, null);
    }

    /** Keeps grants in {@code store}: refresh tokens, revocation and introspection. */
    public Issuance withGrants(GrantStore store) {
        return new Issuance(issuer, Objects.requireNonNull(store, "grants"));
    }
}
