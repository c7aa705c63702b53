package org.devicegrant.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * The user-code entry budgets of RFC 8628 §5.1 (per attempt key, with doubling lockouts, and per
 * tenant), the same for every {@link AttemptLimiter} implementation.
 *
 * @param burstFailures        failures a key may make within {@code burstWindow} before it is
 *                             locked out (default 5)
 * @param burstWindow          the short window (default 60 s)
 * @param windowFailures       failures a key may make within {@code window} (default 20)
 * @param window               the long window (default 10 min)
 * @param initialLockout       the first lockout after the burst is spent (default 60 s); each
 *                             further lockout of the same key doubles it
 * @param maxLockout           the cap on a doubled lockout (default 15 min)
 * @param globalFailures       failures all keys of a tenant may make within
 *                             {@code globalWindow}, cluster-wide: the F of the brute-force
 *                             arithmetic (default 100)
 * @param globalWindow         the window of the global budget (default 60 s)
 */
public record AttemptPolicy(
        int burstFailures,
        Duration burstWindow,
        int windowFailures,
        Duration window,
        Duration initialLockout,
        Duration maxLockout,
        int globalFailures,
        Duration globalWindow) {

    public AttemptPolicy {
        positive(burstFailures, "burstFailures");
        positive(windowFailures, "windowFailures");
        positive(globalFailures, "globalFailures");
        positive(burstWindow, "burstWindow");
        positive(window, "window");
        positive(initialLockout, "initialLockout");
        positive(maxLockout, "maxLockout");
        positive(globalWindow, "globalWindow");
        if (maxLockout.compareTo(initialLockout) < 0) {
            throw new IllegalArgumentException("maxLockout must not be shorter than initialLockout");
        }
    }

    /** 5 failures per 60 s, 20 per 10 min, lockouts 60 s doubling to 15 min, 100 per minute per tenant. */
    public static AttemptPolicy defaults() {
        return new AttemptPolicy(5, Duration.ofSeconds(60), 20, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofMinutes(15), 100, Duration.ofSeconds(60));
    }

    /** The global budget scaled to failures per day: the F_day of the risk estimate. */
    public double globalFailuresPerDay() {
        return globalFailures * (86_400_000.0 / globalWindow.toMillis());
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
