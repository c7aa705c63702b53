package org.devicegrant;

import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.Status;

import java.time.Duration;
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
 *              | poll on time      | poll too early     | poll, other client   | approve          | deny
 * PENDING      | PENDING, polled   | SLOW_DOWN, +5 s    | WRONG_CLIENT→DENIED  | →APPROVED        | →DENIED
 * APPROVED     | ISSUE→CONSUMED    | SLOW_DOWN, +5 s    | WRONG_CLIENT→DENIED  | ALREADY_DECIDED  | ALREADY_DECIDED
 * DENIED       | DENIED            | DENIED             | WRONG_CLIENT         | ALREADY_DECIDED  | ALREADY_DECIDED
 * CONSUMED     | REPLAY            | REPLAY             | WRONG_CLIENT         | ALREADY_DECIDED  | ALREADY_DECIDED
 * expired      | EXPIRED           | EXPIRED            | WRONG_CLIENT         | DECISION_TOO_LATE| DECISION_TOO_LATE
 * </pre>
 * A device code presented by another client fails closed: a live authorization is revoked
 * (DENIED), because its device code has evidently leaked (CVE-2023-2585).
 */
final class StateMachine {

    /** RFC 8628 §3.5: on slow_down the interval "MUST be increased by 5 seconds". */
    static final Duration SLOW_DOWN_INCREMENT = Duration.ofSeconds(5);

    private final Duration pollTolerance;

    StateMachine(Duration pollTolerance) {
        this.pollTolerance = Objects.requireNonNull(pollTolerance, "pollTolerance");
    }

    /** A transition: its outcome, and the record to store, or null when nothing changes. */
    record Transition(Outcome outcome, DeviceAuthorization next) {
        static Transition answer(Outcome outcome) {
            return new Transition(outcome, null);
        }

        boolean changes() {
            return next != null;
        }
    }

    /** A token-endpoint poll by {@code clientId} at {@code now}. */
    Transition poll(DeviceAuthorization a, String clientId, Instant now) {
        boolean live = a.status() == Status.PENDING || a.status() == Status.APPROVED;
        if (!a.clientId().equals(clientId)) {
            // fail closed: the code leaked to another client, so the grant it carries is revoked
            return live && !a.isExpired(now)
                    ? new Transition(Outcome.WRONG_CLIENT, next(a).status(Status.DENIED).build())
                    : Transition.answer(Outcome.WRONG_CLIENT);
        }
        if (a.status() == Status.DENIED) {
            return Transition.answer(Outcome.DENIED);
        }
        if (a.status() == Status.CONSUMED) {
            return Transition.answer(Outcome.REPLAY);
        }
        if (a.isExpired(now)) {
            return Transition.answer(Outcome.EXPIRED);
        }
        if (isTooEarly(a, now)) {
            // RFC 8628 §3.5: slow_down: "the interval MUST be increased by 5 seconds for this and all
            // subsequent requests". The server keeps the grown interval so that it is enforced too.
            return new Transition(Outcome.SLOW_DOWN,
                    next(a).interval(a.interval().plus(SLOW_DOWN_INCREMENT)).lastPolledAt(now).build());
        }
        if (a.status() == Status.APPROVED) {
            return new Transition(Outcome.ISSUE_TOKENS, next(a).status(Status.CONSUMED).lastPolledAt(now).build());
        }
        return new Transition(Outcome.PENDING, next(a).lastPolledAt(now).build());
    }

    /** The user's approval; {@code grantedScopes} must already be checked against the request. */
    Transition approve(DeviceAuthorization a, String subject, Set<String> grantedScopes, String claimsJson,
            Instant authTime, Instant now) {
        Transition refused = refuseDecision(a, now);
        if (refused != null) {
            return refused;
        }
        return new Transition(Outcome.APPROVAL_RECORDED, next(a).status(Status.APPROVED).subject(subject)
                .grantedScopes(grantedScopes).claims(claimsJson).authTime(authTime).build());
    }

    /** The user's denial. */
    Transition deny(DeviceAuthorization a, String subject, Instant now) {
        Transition refused = refuseDecision(a, now);
        if (refused != null) {
            return refused;
        }
        return new Transition(Outcome.DENIAL_RECORDED, next(a).status(Status.DENIED).subject(subject).build());
    }

    /**
     * When a poll at {@code now} comes before the previous poll plus the interval now in force.
     * The tolerance absorbs network jitter, so that a client that waits the interval it was told
     * is never answered slow_down.
     */
    boolean isTooEarly(DeviceAuthorization a, Instant now) {
        Instant last = a.lastPolledAt();
        return last != null && now.isBefore(last.plus(a.interval()).minus(pollTolerance));
    }

    private static Transition refuseDecision(DeviceAuthorization a, Instant now) {
        if (a.status() != Status.PENDING) {
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
