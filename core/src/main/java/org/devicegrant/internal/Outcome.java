package org.devicegrant.internal;

/** What one event did to a device authorization: the answer the caller gives. */
public enum Outcome {
    // polls (RFC 8628 §3.5)
    /** Still pending: {@code authorization_pending}. */
    PENDING,
    /** Too early: {@code slow_down}, interval grown by 5 s. */
    SLOW_DOWN,
    /** Kept losing the compare-and-set to parallel polls of the same code: {@code slow_down}, nothing changes. */
    RACED_OUT,
    /** Approved and now consumed by this poll: issue tokens. */
    ISSUE_TOKENS,
    /** Denied: {@code access_denied}. */
    DENIED,
    /** Expired: {@code expired_token}. */
    EXPIRED,
    /** Consumed before: {@code invalid_grant}. */
    REPLAY,
    /** Presented by a client it was not issued to: {@code invalid_grant}. */
    WRONG_CLIENT,
    // user decisions (RFC 8628 §3.3)
    /** The user's approval was recorded. */
    APPROVAL_RECORDED,
    /** The user's denial was recorded. */
    DENIAL_RECORDED,
    /** The decision came after the code expired; nothing changed. */
    DECISION_TOO_LATE,
    /** The code was already approved, denied or consumed; nothing changed. */
    ALREADY_DECIDED
}
