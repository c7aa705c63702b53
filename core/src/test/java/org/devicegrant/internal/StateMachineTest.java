package org.devicegrant.internal;

import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every (state, event) pair of the device authorization state machine: SECURITY-TESTS row 29,
 * RFC 8628 §3.5. States: the four stored ones plus "expired" (derived). Events: poll on time,
 * poll too early, poll by another client, poll that keeps losing the compare-and-set, approve, deny.
 */
class StateMachineTest {

    private static final Instant CREATED = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant LAST_POLL = CREATED.plusSeconds(100);
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration TOLERANCE = Duration.ofMillis(500);
    private static final Instant ON_TIME = LAST_POLL.plus(INTERVAL);
    private static final Instant TOO_EARLY = LAST_POLL.plusSeconds(1);
    private static final Instant AFTER_EXPIRY = CREATED.plusSeconds(600);

    private static final int RACE_ATTEMPTS = 3;

    private final StateMachine machine = new StateMachine(new PollingPolicy(TOLERANCE, RACE_ATTEMPTS));

    enum State { PENDING, APPROVED, DENIED, CONSUMED, EXPIRED_PENDING, EXPIRED_APPROVED }

    enum Event { POLL_ON_TIME, POLL_TOO_EARLY, POLL_OTHER_CLIENT, POLL_RACED_OUT, APPROVE, DENY }

    static Stream<Arguments> table() {
        return Stream.of(
                // state,                 event,                   outcome,                   status after (null = unchanged)
                arguments(State.PENDING, Event.POLL_ON_TIME, Outcome.PENDING, AuthorizationStatus.PENDING),
                arguments(State.PENDING, Event.POLL_TOO_EARLY, Outcome.SLOW_DOWN, AuthorizationStatus.PENDING),
                arguments(State.PENDING, Event.POLL_OTHER_CLIENT, Outcome.WRONG_CLIENT, AuthorizationStatus.DENIED),
                arguments(State.PENDING, Event.POLL_RACED_OUT, Outcome.RACED_OUT, null),
                arguments(State.PENDING, Event.APPROVE, Outcome.APPROVAL_RECORDED, AuthorizationStatus.APPROVED),
                arguments(State.PENDING, Event.DENY, Outcome.DENIAL_RECORDED, AuthorizationStatus.DENIED),

                arguments(State.APPROVED, Event.POLL_ON_TIME, Outcome.ISSUE_TOKENS, AuthorizationStatus.CONSUMED),
                arguments(State.APPROVED, Event.POLL_TOO_EARLY, Outcome.SLOW_DOWN, AuthorizationStatus.APPROVED),
                arguments(State.APPROVED, Event.POLL_OTHER_CLIENT, Outcome.WRONG_CLIENT, AuthorizationStatus.DENIED),
                arguments(State.APPROVED, Event.POLL_RACED_OUT, Outcome.RACED_OUT, null),
                arguments(State.APPROVED, Event.APPROVE, Outcome.ALREADY_DECIDED, null),
                arguments(State.APPROVED, Event.DENY, Outcome.ALREADY_DECIDED, null),

                arguments(State.DENIED, Event.POLL_ON_TIME, Outcome.DENIED, null),
                arguments(State.DENIED, Event.POLL_TOO_EARLY, Outcome.DENIED, null),
                arguments(State.DENIED, Event.POLL_OTHER_CLIENT, Outcome.WRONG_CLIENT, null),
                arguments(State.DENIED, Event.POLL_RACED_OUT, Outcome.RACED_OUT, null),
                arguments(State.DENIED, Event.APPROVE, Outcome.ALREADY_DECIDED, null),
                arguments(State.DENIED, Event.DENY, Outcome.ALREADY_DECIDED, null),

                arguments(State.CONSUMED, Event.POLL_ON_TIME, Outcome.REPLAY, null),
                arguments(State.CONSUMED, Event.POLL_TOO_EARLY, Outcome.REPLAY, null),
                arguments(State.CONSUMED, Event.POLL_OTHER_CLIENT, Outcome.WRONG_CLIENT, null),
                arguments(State.CONSUMED, Event.POLL_RACED_OUT, Outcome.RACED_OUT, null),
                arguments(State.CONSUMED, Event.APPROVE, Outcome.ALREADY_DECIDED, null),
                arguments(State.CONSUMED, Event.DENY, Outcome.ALREADY_DECIDED, null),

                arguments(State.EXPIRED_PENDING, Event.POLL_ON_TIME, Outcome.EXPIRED, null),
                arguments(State.EXPIRED_PENDING, Event.POLL_TOO_EARLY, Outcome.EXPIRED, null),
                arguments(State.EXPIRED_PENDING, Event.POLL_OTHER_CLIENT, Outcome.WRONG_CLIENT, null),
                arguments(State.EXPIRED_PENDING, Event.POLL_RACED_OUT, Outcome.RACED_OUT, null),
                arguments(State.EXPIRED_PENDING, Event.APPROVE, Outcome.DECISION_TOO_LATE, null),
                arguments(State.EXPIRED_PENDING, Event.DENY, Outcome.DECISION_TOO_LATE, null),

                arguments(State.EXPIRED_APPROVED, Event.POLL_ON_TIME, Outcome.EXPIRED, null),
                arguments(State.EXPIRED_APPROVED, Event.POLL_TOO_EARLY, Outcome.EXPIRED, null),
                arguments(State.EXPIRED_APPROVED, Event.POLL_OTHER_CLIENT, Outcome.WRONG_CLIENT, null),
                arguments(State.EXPIRED_APPROVED, Event.POLL_RACED_OUT, Outcome.RACED_OUT, null),
                arguments(State.EXPIRED_APPROVED, Event.APPROVE, Outcome.ALREADY_DECIDED, null),
                arguments(State.EXPIRED_APPROVED, Event.DENY, Outcome.ALREADY_DECIDED, null));
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}, {3}")
    @MethodSource("table")
    void everyStateAndEventPairMatchesTheTable(State state, Event event, Outcome outcome, AuthorizationStatus after) {
        DeviceAuthorization a = record(state);
        StateMachine.Transition t = apply(a, state, event);

        assertThat(t.outcome()).isEqualTo(outcome);
        if (after == null) {
            assertThat(t.changes()).as("nothing may change").isFalse();
        } else {
            assertThat(t.next().status()).isEqualTo(after);
            assertThat(t.next().version()).isEqualTo(a.version() + 1);
            assertThat(t.next().id()).isEqualTo(a.id());
            assertThat(t.next().deviceCodeHash()).isEqualTo(a.deviceCodeHash());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminalOrExpired")
    void terminalAndExpiredStatesNeverAnswerAuthorizationPending(State state) {
        // SECURITY-TESTS row 29: "0 authorization_pending for terminal states"
        DeviceAuthorization a = record(state);
        for (Event e : new Event[] {Event.POLL_ON_TIME, Event.POLL_TOO_EARLY, Event.POLL_OTHER_CLIENT,
                Event.POLL_RACED_OUT}) {
            assertThat(apply(a, state, e).outcome()).isNotEqualTo(Outcome.PENDING);
        }
    }

    static Stream<State> terminalOrExpired() {
        return Stream.of(State.DENIED, State.CONSUMED, State.EXPIRED_PENDING, State.EXPIRED_APPROVED);
    }

    @Test
    void D27_slowDownGrowsTheStoredIntervalByFiveSecondsAndRecordsThePoll() {
        // RFC 8628 §3.5: slow_down — "the interval MUST be increased by 5 seconds for this and all subsequent requests"
        DeviceAuthorization a = record(State.PENDING);
        StateMachine.Transition first = machine.poll(a, "tv", TOO_EARLY);
        assertThat(first.next().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(first.next().lastPolledAt()).isEqualTo(TOO_EARLY);

        StateMachine.Transition second = machine.poll(first.next(), "tv", TOO_EARLY.plusSeconds(6));
        assertThat(second.outcome()).as("6 s is now too early for a 10 s interval").isEqualTo(Outcome.SLOW_DOWN);
        assertThat(second.next().interval()).isEqualTo(Duration.ofSeconds(15));

        StateMachine.Transition obeying = machine.poll(second.next(), "tv", TOO_EARLY.plusSeconds(6 + 15));
        assertThat(obeying.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(obeying.next().interval()).as("the grown interval stays").isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void pollAfterLostRacesWhenAttemptsRemainThenDecidesAfreshOnTheLatestRecord() {
        // a poll that lost the compare-and-set to a parallel poll is judged again on what that poll wrote
        DeviceAuthorization latest = record(State.PENDING);
        for (int lost = 1; lost < RACE_ATTEMPTS; lost++) {
            assertThat(machine.pollAfterLostRaces(latest, "tv", lost, ON_TIME).outcome()).isEqualTo(Outcome.PENDING);
            assertThat(machine.pollAfterLostRaces(latest, "tv", lost, TOO_EARLY).outcome())
                    .isEqualTo(Outcome.SLOW_DOWN);
        }
    }

    @Test
    void pollAfterLostRacesWhenAttemptsAreSpentThenRacedOutAndNothingChanges() {
        // polls of one code that keep beating each other come faster than any interval: slow_down,
        // decided by the polling policy; no write, since every write of this code is losing anyway
        DeviceAuthorization approved = record(State.APPROVED);
        StateMachine.Transition t = machine.pollAfterLostRaces(approved, "tv", RACE_ATTEMPTS, ON_TIME);
        assertThat(t.outcome()).isEqualTo(Outcome.RACED_OUT);
        assertThat(t.changes()).isFalse();
        assertThat(machine.polling().hasRacedOut(RACE_ATTEMPTS - 1)).isFalse();
        assertThat(machine.polling().hasRacedOut(RACE_ATTEMPTS)).isTrue();
    }

    @Test
    void pollWithinToleranceOfTheIntervalIsNotTooEarly() {
        DeviceAuthorization a = record(State.PENDING);
        Instant justInside = LAST_POLL.plus(INTERVAL).minus(TOLERANCE);
        Instant justOutside = justInside.minusMillis(1);

        assertThat(machine.poll(a, "tv", justInside).outcome()).isEqualTo(Outcome.PENDING);
        assertThat(machine.poll(a, "tv", justOutside).outcome()).isEqualTo(Outcome.SLOW_DOWN);
    }

    @Test
    void firstPollIsNeverTooEarly() {
        DeviceAuthorization fresh = record(State.PENDING).toBuilder().lastPolledAt(null).build();
        assertThat(machine.poll(fresh, "tv", CREATED).outcome()).isEqualTo(Outcome.PENDING);
    }

    @Test
    void expiryBoundaryIsExact() {
        // SECURITY-TESTS row 4: expires_at − 1 ms accepted, at and after expires_at rejected
        DeviceAuthorization a = record(State.PENDING).toBuilder().lastPolledAt(null).build();
        Instant expiresAt = a.expiresAt();

        assertThat(machine.approve(a, "alice", Set.of(), null, null, expiresAt.minusMillis(1)).outcome())
                .isEqualTo(Outcome.APPROVAL_RECORDED);
        assertThat(machine.approve(a, "alice", Set.of(), null, null, expiresAt).outcome())
                .isEqualTo(Outcome.DECISION_TOO_LATE);
        assertThat(machine.poll(a, "tv", expiresAt.plusMillis(1)).outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void approvalCarriesSubjectScopesClaimsAndAuthTime() {
        DeviceAuthorization a = record(State.PENDING);
        Instant authTime = CREATED.plusSeconds(30);
        DeviceAuthorization approved = machine
                .approve(a, "alice", Set.of("openid"), "{\"email\":\"a@example.com\"}", authTime, ON_TIME).next();

        assertThat(approved.subject()).isEqualTo("alice");
        assertThat(approved.grantedScopes()).containsExactly("openid");
        assertThat(approved.claims()).isEqualTo("{\"email\":\"a@example.com\"}");
        assertThat(approved.authTime()).isEqualTo(authTime);
    }

    private StateMachine.Transition apply(DeviceAuthorization a, State state, Event event) {
        boolean expired = state == State.EXPIRED_PENDING || state == State.EXPIRED_APPROVED;
        Instant onTime = expired ? AFTER_EXPIRY : ON_TIME;
        Instant early = expired ? AFTER_EXPIRY : TOO_EARLY;
        switch (event) {
            case POLL_ON_TIME:
                return machine.poll(a, "tv", onTime);
            case POLL_TOO_EARLY:
                return machine.poll(expired ? a.toBuilder().lastPolledAt(AFTER_EXPIRY.minusSeconds(1)).build() : a,
                        "tv", early);
            case POLL_OTHER_CLIENT:
                return machine.poll(a, "other", onTime);
            case POLL_RACED_OUT:
                return machine.pollAfterLostRaces(a, "tv", RACE_ATTEMPTS, onTime);
            case APPROVE:
                return machine.approve(a, "alice", Set.of("openid"), null, null, onTime);
            default:
                return machine.deny(a, "alice", onTime);
        }
    }

    private static DeviceAuthorization record(State state) {
        AuthorizationStatus status = switch (state) {
            case PENDING, EXPIRED_PENDING -> AuthorizationStatus.PENDING;
            case APPROVED, EXPIRED_APPROVED -> AuthorizationStatus.APPROVED;
            case DENIED -> AuthorizationStatus.DENIED;
            case CONSUMED -> AuthorizationStatus.CONSUMED;
        };
        boolean decided = status == AuthorizationStatus.APPROVED || status == AuthorizationStatus.CONSUMED;
        return DeviceAuthorization.builder()
                .id("auth-1").tenant("default").deviceCodeHash("dch").userCodeHash("uch").clientId("tv")
                .requestedScopes(Set.of("openid", "profile")).deviceMetadata(Map.of())
                .status(status)
                .subject(decided ? "alice" : null)
                .grantedScopes(decided ? Set.of("openid") : Set.of())
                .createdAt(CREATED).expiresAt(CREATED.plusSeconds(600))
                .interval(INTERVAL).lastPolledAt(LAST_POLL).version(3)
                .build();
    }
}
