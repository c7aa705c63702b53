package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * A result that the wire shows as an RFC 6749 §5.2 error response; RFC 8628 §3.5 answers
 * {@code authorization_pending} and {@code slow_down} that way too. Each knows its Nimbus error.
 */
sealed interface Failure permits PollResult.Pending, PollResult.SlowDown, PollResult.RacedOut, PollResult.Denied,
        PollResult.Expired, PollResult.Replayed, PollResult.UnknownCode, PollResult.WrongClient,
        PollResult.AccountRefused, PollResult.IssuanceFailed, DeviceAuthorizationResult.TooManyPending,
        RefreshResult.Refused, RefreshResult.Reused, RefreshResult.ScopeWidened, RefreshResult.AccountRefused,
        RefreshResult.IssuanceFailed, Rejected {

    /** The error to answer, with a description safe to send (RFC 6749 §5.2 characters, no secret). */
    ErrorObject error();
}
