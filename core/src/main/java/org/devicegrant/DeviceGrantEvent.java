package org.devicegrant;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a device authorization, for logs, metrics and audit. Carries the
 * authorization id (safe to log), never a raw device code, user code or token.
 *
 * @param type            what happened
 * @param tenant          the tenant
 * @param authorizationId the authorization's id, or null when none was identified
 * @param clientId        the client involved, or null when none was authenticated
 * @param at              when, by the grant's clock
 * @param detail          a short, secret-free explanation, or empty
 */
public record DeviceGrantEvent(Type type, String tenant, String authorizationId, String clientId, Instant at,
        String detail) {

    public DeviceGrantEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }

    /** The kinds of event; one per transition or failure the grant knows. */
    public enum Type {
        /** Codes were issued at the device authorization endpoint. */
        ISSUED,
        /** A user code entered on the verification page matched nothing usable. */
        LOOKUP_FAILED,
        /** A user code attempt was refused by the attempt limiter and not evaluated. */
        LOOKUP_REFUSED,
        /** The user approved. */
        APPROVED,
        /** The user denied. */
        DENIED,
        /** The device polled and was told {@code authorization_pending}. */
        POLLED,
        /** The device polled too early and was told {@code slow_down}; its interval grew. */
        SLOW_DOWN,
        /** Tokens were issued; the authorization is consumed. */
        TOKENS_ISSUED,
        /** A poll, approval or lookup met an expired authorization. */
        EXPIRED,
        /** A consumed device code was presented again; the grant redeemed from it, if kept, is revoked. */
        REPLAY,
        /** A client presented another client's device code; the authorization was revoked. */
        WRONG_CLIENT,
        /** The token issuer or the store failed while redeeming an approved authorization. */
        ISSUANCE_FAILED,
        /** The host's account check refused the approving account at redemption; no tokens. */
        ACCOUNT_REFUSED,
        /** A refresh token was redeemed for new tokens (RFC 6749 §6); the id is the grant's. */
        REFRESHED,
        /** A refresh token was refused: unknown, another client's, of a revoked or lapsed grant, or a wider scope. */
        REFRESH_REFUSED,
        /** A retired refresh token was presented again (RFC 9700 §4.14.2); the grant is revoked. */
        REFRESH_TOKEN_REUSED,
        /**
         * A grant was revoked (its id is the authorization id): by the revocation endpoint or an
         * unlink; none of its tokens works any more.
         */
        GRANT_REVOKED
    }
}
