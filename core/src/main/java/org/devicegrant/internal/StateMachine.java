package org.devicegrant.internal;

import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The one transition function of a device authorization. Pure: given a record, an event and the
 * time, it returns the outcome and the next record (version + 1), or no next record when nothing
 * changes. Persisting the next record by compare-and-set is the caller's job.
 *
 * <p>The table (rows: state; "expired" is derived from the clock for PENDING and APPROVED, while
 * DENIED and CONSUMED keep their answer for as long as the record is retained):
 * <pre>
 *              | poll on time      | poll too early     | poll, other client   | poll, raced out | approve          | deny
 * PENDING      | PENDING, polled   | SLOW_DOWN, +5 s    | WRONG_CLIENT→DENIED  | RACED_OUT       | →APPROVED        | →DENIED
 * APPROVED     | ISSUE→CONSUMED    | SLOW_DOWN, +5 s    | WRONG_CLIENT→DENIED  | RACED_OUT       | ALREADY_DECIDED  | ALREADY_DECIDED
 * DENIED       | DENIED            | DENIED             | WRONG_CLIENT         | RACED_OUT       | ALREADY_DECIDED  | ALREADY_DECIDED
 * CONSUMED     | REPLAY            | REPLAY             | WRONG_CLIENT         | RACED_OUT       | ALREADY_DECIDED  | ALREADY_DECIDED
 * expired      | EXPIRED           | EXPIRED            | WRONG_CLIENT         | RACED_OUT       | DECISION_TOO_LATE| DECISION_TOO_LATE
 * </pre>
 * A device code presented by another client fails closed: a live authorization is revoked
 * (DENIED), because its device code has evidently leaked (CVE-2023-2585). Both kinds of
 * {@code slow_down} (too early, raced out) are the {@linkplain #polling() polling policy}'s call.
 */
public final class StateMachine {

    private final PollingPolicy polling;

    public StateMachine(PollingPolicy polling) {
        this.polling = Objects.requireNonNull(polling, "polling");
    }

    /** The policy that decides every {@code slow_down}. */
    public PollingPolicy polling() {
        return polling;
    }

    /** A transition: its outcome, and the record to store, or null when nothing changes. */
    public record Transition(Outcome outcome, DeviceAuthorization next) {
        public static Transition answer(Outcome outcome) {
            return new Transition(outcome, null);
        }

        public boolean changes() {
            return next != null;
        }
    }

    /** A token-endpoint poll by {@code clientId} at {@code now}. */
    public Transition poll(DeviceAuthorization a, String clientId, Instant now) {
        boolean live = a.status() == AuthorizationStatus.PENDING || a.status() == AuthorizationStatus.APPROVED;
        if (!a.clientId().equals(clientId)) {
            // fail closed: the code leaked to another client, so the grant it carries is revoked
            return live && !a.isExpired(now)
                    ? new Transition(Outcome.WRONG_CLIENT, next(a).status(AuthorizationStatus.DENIED).build())
                    : Transition.answer(Outcome.WRONG_CLIENT);
        }
        if (a.status() == AuthorizationStatus.DENIED) {
            return Transition.answer(Outcome.DENIED);
        }
        if (a.status() == AuthorizationStatus.CONSUMED) {
            return Transition.answer(Outcome.REPLAY);
        }
        if (a.isExpired(now)) {
            return Transition.answer(Outcome.EXPIRED);
        }
        if (polling.isTooEarly(a, now)) {
            // RFC 8628 §3.5: slow_down: "the interval MUST be increased by 5 seconds for this and all
            // subsequent requests". The server keeps the grown interval so that it is enforced too.
            return new Transition(Outcome.SLOW_DOWN,
                    next(a).interval(polling.slowedDown(a.interval())).lastPolledAt(now).build());
        }
        if (a.status() == AuthorizationStatus.APPROVED) {
            return new Transition(Outcome.ISSUE_TOKENS, next(a).status(AuthorizationStatus.CONSUMED).lastPolledAt(now).build());
        }
        return new Transition(Outcome.PENDING, next(a).lastPolledAt(now).build());
    }

    /**
     * A poll that lost the compare-and-set {@code lostRaces} times in a row to parallel polls of the same
     * code, decided on {@code latest}, the record read again after the last loss. Once the polling
     * policy says the poll {@linkplain PollingPolicy#hasRacedOut raced out}: RACED_OUT, and nothing
     * changes, since every write of this code is losing anyway; until then, the same as {@link #poll}.
     */
    public Transition pollAfterLostRaces(DeviceAuthorization latest, String clientId, int lostRaces, Instant now) {
        if (polling.hasRacedOut(lostRaces)) {
            return Transition.answer(Outcome.RACED_OUT);
        }
        return poll(latest, clientId, now);
    }

    /** The user's approval; {@code grantedScopes} must already be checked against the request. */
    public Transition approve(DeviceAuthorization a, String subject, Set<String> grantedScopes, String claimsJson,
            Instant authTime, Instant now) {
        Transition refused = refuseDecision(a, now);
        if (refused != null) {
            return refused;
        }
        return new Transition(Outcome.APPROVAL_RECORDED, next(a).status(AuthorizationStatus.APPROVED).subject(subject)
                .grantedScopes(grantedScopes).claims(claimsJson).authTime(authTime).build());
    }

    /** The user's denial. */
    public Transition deny(DeviceAuthorization a, String subject, Instant now) {
        Transition refused = refuseDecision(a, now);
        if (refused != null) {
            return refused;
        }
        return new Transition(Outcome.DENIAL_RECORDED, next(a).status(AuthorizationStatus.DENIED).subject(subject).build());
    }

    private static Transition refuseDecision(DeviceAuthorization a, Instant now) {
        if (a.status() != AuthorizationStatus.PENDING) {
            return Transition.answer(Outcome.ALREADY_DECIDED);
        }
        if (a.isExpired(now)) {
            return Transition.answer(Outcome.DECISION_TOO_LATE);
        }
        return null;
    }

    private static DeviceAuthorization.Builder next(DeviceAuthorization a) {
        return a.toBuilder().nextVersion();
    }
}
