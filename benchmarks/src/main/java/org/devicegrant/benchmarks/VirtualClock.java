package org.devicegrant.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when a benchmark moves it, so that polls can obey the interval
 * without anyone sleeping. Thread-safe; {@link #advance} never moves it backwards.
 */
final class VirtualClock extends Clock {

    private final Instant origin;
    private final AtomicLong elapsedNanos = new AtomicLong();

    VirtualClock(Instant origin) {
        this.origin = origin;
    }

    /** Moves the clock forward by {@code nanos} (not negative). */
    void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a virtual clock only moves forward, nanos was " + nanos);
        }
        elapsedNanos.addAndGet(nanos);
    }

    void advance(Duration duration) {
        advance(duration.toNanos());
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(elapsedNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a virtual clock is always UTC");
    }
}
