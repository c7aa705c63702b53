package org.devicegrant.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link AttemptLimiter} says of one user-code attempt.
 *
 * @param allowed    true if the attempt may be evaluated against the store
 * @param retryAfter when refused, how long until an attempt may be allowed again; zero when
 *                   allowed
 */
public record AttemptDecision(boolean allowed, Duration retryAfter) {

    private static final AttemptDecision ALLOWED = new AttemptDecision(true, Duration.ZERO);

    public AttemptDecision {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        if (allowed && !retryAfter.isZero()) {
            throw new IllegalArgumentException("an allowed attempt has no retryAfter");
        }
    }

    public static AttemptDecision allow() {
        return ALLOWED;
    }

    /** Refused; {@code retryAfter} is rounded up to at least one second. */
    public static AttemptDecision refuse(Duration retryAfter) {
        Duration atLeastOneSecond = retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
        return new AttemptDecision(false, atLeastOneSecond);
    }
}
