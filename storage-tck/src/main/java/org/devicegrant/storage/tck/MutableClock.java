package org.devicegrant.storage.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock for tests that moves only when told to, and only forward. Starts at the instant given
 * to the constructor; its zone is UTC.
 *
 * <p>Thread-safe: readers see every move made before their read, and concurrent moves never lose
 * an update. Going backwards is refused, so code under test may rely on time never decreasing.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    /**
     * A clock standing at {@code start}.
     *
     * @throws NullPointerException {@code start} is null
     */
    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    /** The instant the clock stands at now. */
    @Override
    public Instant instant() {
        return now.get();
    }

    /** Always UTC. */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * This clock if {@code zone} is UTC, otherwise a view in {@code zone} that follows every move
     * of this clock.
     */
    @Override
    public Clock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return ZoneOffset.UTC.equals(zone) ? this : new ZonedView(this, zone);
    }

    /**
     * Moves the clock forward by {@code amount}, atomically.
     *
     * @return the instant the clock stands at after the move
     * @throws IllegalArgumentException {@code amount} is negative
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must be zero or positive, was " + amount);
        }
        return now.updateAndGet(current -> current.plus(amount));
    }

    /**
     * Moves the clock to {@code instant}, which must not be before the instant it stands at.
     *
     * @throws IllegalArgumentException {@code instant} is before the clock's current instant
     */
    public void setInstant(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        now.updateAndGet(current -> {
            if (instant.isBefore(current)) {
                throw new IllegalArgumentException(
                        "a MutableClock only moves forward: " + instant + " is before " + current);
            }
            return instant;
        });
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + "]";
    }

    private static final class ZonedView extends Clock {
        private final MutableClock source;
        private final ZoneId zone;

        ZonedView(MutableClock source, ZoneId zone) {
            this.source = source;
            this.zone = zone;
        }

        @Override
        public Instant instant() {
            return source.instant();
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return source.withZone(newZone);
        }
    }
}
