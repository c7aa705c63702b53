package org.devicegrant.internal;

import org.devicegrant.storage.DeviceAuthorization;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides every {@code slow_down} of the token endpoint, and which polling settings are allowed.
 * The state machine owns one; nothing else judges how fast a device polls.
 *
 * <p>A poll is too early when it comes before the previous poll plus the interval now in force,
 * less the tolerance that absorbs network jitter: a client that waits the interval it was told is
 * never answered {@code slow_down}. Polls of one code that keep losing the compare-and-set to each
 * other are polling faster than any interval allows, and get {@code slow_down} too.
 *
 * @param tolerance      how much earlier than the interval a poll may come; at most half of every
 *                       interval in force (grant, tenant or client)
 * @param raceAttempts   compare-and-set attempts of one poll before it is told to slow down
 */
public record PollingPolicy(Duration tolerance, int raceAttempts) {

    /** RFC 8628 §3.5: on slow_down the interval "MUST be increased by 5 seconds". */
    public static final Duration SLOW_DOWN_INCREMENT = Duration.ofSeconds(5);

    /** Compare-and-set attempts before a poll that keeps losing is told to slow down. */
    public static final int DEFAULT_RACE_ATTEMPTS = 4;

    public PollingPolicy {
        Objects.requireNonNull(tolerance, "pollTolerance");
        Setting.require(!tolerance.isNegative(), "pollTolerance", "at least PT0S", tolerance);
        Setting.require(raceAttempts >= 1, "raceAttempts", "at least 1", raceAttempts);
    }

    public PollingPolicy(Duration tolerance) {
        this(tolerance, DEFAULT_RACE_ATTEMPTS);
    }

    /** True when a poll at {@code now} comes before the previous poll plus the interval, less the tolerance. */
    public boolean isTooEarly(DeviceAuthorization a, Instant now) {
        Instant last = a.lastPolledAt();
        return last != null && now.isBefore(last.plus(a.interval()).minus(tolerance));
    }

    /**
     * True when a poll has lost the compare-and-set {@code lostRaces} times in a row to parallel polls
     * of the same code: they come faster than any interval allows, and this one is told to slow down.
     */
    public boolean hasRacedOut(int lostRaces) {
        return lostRaces >= raceAttempts;
    }

    /** The interval in force after a {@code slow_down}. */
    public Duration slowedDown(Duration interval) {
        return interval.plus(SLOW_DOWN_INCREMENT);
    }

    /**
     * The one check of the tolerance against an interval that the grant, a tenant or a client
     * configures: at most half of it, so that a poll can never come twice within one interval
     * unanswered. The grant's interval is checked when it is built; a tenant's or client's when
     * the {@link SettingsResolver} first meets it.
     *
     * @param where names the interval for the message, e.g. {@code "pollingInterval of tenant acme"}
     * @throws org.devicegrant.InvalidSettingException naming {@code pollTolerance} and {@code where}:
     *         the tolerance is more than half of {@code interval}
     */
    public void requireFits(Duration interval, String where) {
        Duration half = interval.dividedBy(2);
        Setting.require(tolerance.compareTo(half) <= 0, "pollTolerance",
                "between PT0S and half of " + where + " (" + half + ")", tolerance);
    }
}
