package org.devicegrant;

import org.devicegrant.internal.PollingPolicy;
import org.devicegrant.internal.Setting;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast devices may poll the token endpoint. Immutable; checked when made.
 *
 * <pre>{@code
 * Polling.defaults().withInterval(Duration.ofSeconds(2)).withTolerance(Duration.ofMillis(800))
 * }</pre>
 *
 * @param interval  the minimum time between polls, sent as {@code interval} (RFC 8628 §3.2) and
 *                  enforced with {@code slow_down} (§3.5); setting {@code pollingInterval}, 1–60
 *                  whole seconds, default 5 s
 * @param tolerance how much earlier than the interval a poll may come without {@code slow_down},
 *                  to absorb network jitter; setting {@code pollTolerance}, from zero to half of
 *                  every interval in force (this one, and any a tenant or client sets), default 500 ms
 */
public record Polling(Duration interval, Duration tolerance) {

    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(60);
    private static final Polling DEFAULTS = new Polling(Duration.ofSeconds(5), Duration.ofMillis(500));

    /**
     * @throws InvalidSettingException naming {@code pollingInterval} or {@code pollTolerance}
     * @throws NullPointerException    an argument is null
     */
    public Polling {
        requireInterval(interval, "pollingInterval");
        new PollingPolicy(Objects.requireNonNull(tolerance, "pollTolerance")).requireFits(interval, "pollingInterval");
    }

    /** A 5-second interval with 500 ms of tolerance. */
    public static Polling defaults() {
        return DEFAULTS;
    }

    public Polling withInterval(Duration interval) {
        return new Polling(interval, tolerance);
    }

    public Polling withTolerance(Duration tolerance) {
        return new Polling(interval, tolerance);
    }

    /**
     * The one range check of a polling interval, the grant's or a tenant's or client's: 1–60 whole
     * seconds, since {@code interval} is sent in seconds (RFC 8628 §3.2).
     */
    static Duration requireInterval(Duration interval, String setting) {
        Setting.inRange(interval, MIN_INTERVAL, MAX_INTERVAL, setting);
        Setting.require(interval.getNano() == 0, setting, "whole seconds (interval is sent in seconds)",
                interval);
        return interval;
    }
}
