package org.devicegrant;

import org.devicegrant.internal.Setting;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.token.TokenIssuer;

import java.time.Duration;
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
 * <p><b>Refresh tokens.</b> Only with grants: the library mints them (32 random bytes from the
 * grant's {@code SecureRandom}, stored only as SHA-256 hashes) when {@code offline_access} was
 * granted or the client has {@code alwaysIssueRefreshToken}. A grant lapses after
 * {@code refreshIdleLifetime} without a refresh, and at the latest {@code refreshAbsoluteLifetime}
 * after the device code was redeemed; a tenant or client may set its own (see {@link DeviceSettings}).
 *
 * <p><b>Rotation.</b> Every refresh by a public client returns a new refresh token and retires the
 * presented one (RFC 9700 §4.14.2: rotation with reuse detection for public clients).
 * {@code rotateConfidential} (default true) does the same for confidential clients: a refresh token
 * that leaks from a confidential client's storage is then good for one use only, and its reuse is
 * detected and revokes the grant, at no cost to a client that keeps the newest token.
 *
 * <p><b>Reuse and concurrent refreshes.</b> Presenting a retired refresh token revokes the whole
 * grant, so the newest token stops working too. Of two concurrent presentations of one token,
 * exactly one wins the store's compare-and-set and gets the new token; the loser presented a token
 * that is now retired. With {@code reuseGrace} zero (the default, strict) that is reuse like any
 * other and revokes the grant: the device and a thief racing it with a stolen token look the same,
 * and revoking ends the thief's grant too. A positive {@code reuseGrace} (at most 60 s) answers a
 * retired token presented within that time after the last rotation with {@code invalid_grant} and
 * keeps the grant, for clients that may send the same refresh twice at once; a thief who wins the
 * race then keeps the grant until the device's next refresh is refused. A device whose response
 * was lost cannot be helped either way: it never received the new token.
 *
 * @param issuer                  signs the tokens; required
 * @param grants                  where grants and the hashes of their refresh tokens live; null: no
 *                                grants are kept, so no refresh tokens are issued, nothing can be
 *                                revoked, and introspection judges an access token by its signature
 *                                and lifetime alone
 * @param refreshIdleLifetime     how long a grant lives without a refresh; 1 hour to 400 days,
 *                                default 30 days
 * @param refreshAbsoluteLifetime how long a grant lives at most after redemption; 1 hour to 400
 *                                days, default 90 days
 * @param rotateConfidential      whether confidential clients' refresh tokens rotate too; default true
 * @param reuseGrace              how long after a rotation the retired token is refused without
 *                                revoking the grant; 0 to 60 s, default 0 (strict)
 */
public record Issuance(TokenIssuer issuer, GrantStore grants, Duration refreshIdleLifetime,
        Duration refreshAbsoluteLifetime, boolean rotateConfidential, Duration reuseGrace) {

    static final Duration MIN_REFRESH_LIFETIME = Duration.ofHours(1);
    static final Duration MAX_REFRESH_LIFETIME = Duration.ofDays(400);
    static final Duration DEFAULT_IDLE_LIFETIME = Duration.ofDays(30);
    static final Duration DEFAULT_ABSOLUTE_LIFETIME = Duration.ofDays(90);
    static final Duration MAX_REUSE_GRACE = Duration.ofSeconds(60);

    /**
     * @throws org.devicegrant.InvalidSettingException a lifetime or the grace is outside its range
     */
    public Issuance {
        Objects.requireNonNull(issuer, "issuer");
        requireRefreshLifetime(refreshIdleLifetime, "refreshIdleLifetime");
        requireRefreshLifetime(refreshAbsoluteLifetime, "refreshAbsoluteLifetime");
        Setting.inRange(reuseGrace, Duration.ZERO, MAX_REUSE_GRACE, "reuseGrace");
    }

    /** Tokens signed by {@code issuer}; no grants kept. */
    public static Issuance by(TokenIssuer issuer) {
        return new Issuance(issuer, null, DEFAULT_IDLE_LIFETIME, DEFAULT_ABSOLUTE_LIFETIME, true, Duration.ZERO);
    }

    /** Keeps grants in {@code store}: refresh tokens, revocation and introspection. */
    public Issuance withGrants(GrantStore store) {
        return new Issuance(issuer, Objects.requireNonNull(store, "grants"), refreshIdleLifetime,
                refreshAbsoluteLifetime, rotateConfidential, reuseGrace);
    }

    /** A grant's idle and absolute lifetimes (each 1 hour to 400 days). */
    public Issuance withRefreshLifetimes(Duration idle, Duration absolute) {
        return new Issuance(issuer, grants, idle, absolute, rotateConfidential, reuseGrace);
    }

    /** Whether confidential clients' refresh tokens rotate (public clients' always do). */
    public Issuance withConfidentialRotation(boolean rotate) {
        return new Issuance(issuer, grants, refreshIdleLifetime, refreshAbsoluteLifetime, rotate, reuseGrace);
    }

    /** The grace after a rotation in which a retired token does not revoke (0 to 60 s; 0 = strict). */
    public Issuance withReuseGrace(Duration grace) {
        return new Issuance(issuer, grants, refreshIdleLifetime, refreshAbsoluteLifetime, rotateConfidential, grace);
    }

    static Duration requireRefreshLifetime(Duration lifetime, String setting) {
        return Setting.inRange(lifetime, MIN_REFRESH_LIFETIME, MAX_REFRESH_LIFETIME, setting);
    }
}
