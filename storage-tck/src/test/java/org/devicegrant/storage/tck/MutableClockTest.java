package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void whenCreatedThenStandsAtStartInUtc() {
        MutableClock clock = new MutableClock(T0);

        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void whenAdvancedThenMovesByExactlyThatAmount() {
        MutableClock clock = new MutableClock(T0);

        Instant after = clock.advance(Duration.ofMillis(1500));

        assertThat(after).isEqualTo(T0.plusMillis(1500));
        assertThat(clock.instant()).isEqualTo(after);
    }

    @Test
    void whenAdvancedByNegativeAmountThenRefusedAndUnchanged() {
        MutableClock clock = new MutableClock(T0);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
        assertThat(clock.instant()).isEqualTo(T0);
    }

    @Test
    void whenSetForwardOrToSameInstantThenAccepted() {
        MutableClock clock = new MutableClock(T0);

        clock.setInstant(T0);
        clock.setInstant(T0.plusSeconds(60));

        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void whenSetBackwardsThenRefusedAndUnchanged() {
        MutableClock clock = new MutableClock(T0);

        assertThatThrownBy(() -> clock.setInstant(T0.minusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forward");
        assertThat(clock.instant()).isEqualTo(T0);
    }

    @Test
    void whenViewedInOtherZoneThenFollowsEveryMove() {
        MutableClock clock = new MutableClock(T0);
        ZoneId paris = ZoneId.of("Europe/Paris");

        Clock view = clock.withZone(paris);
        clock.advance(Duration.ofMinutes(5));

        assertThat(view.getZone()).isEqualTo(paris);
        assertThat(view.instant()).isEqualTo(T0.plusSeconds(300));
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }

    @Test
    void whenAdvancedFromManyThreadsThenNoMoveIsLost() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> moves = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                moves.add(pool.submit(() -> {
                    for (int j = 0; j < 1000; j++) {
                        clock.advance(Duration.ofMillis(1));
                    }
                }));
            }
            for (Future<?> move : moves) {
                move.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(clock.instant()).isEqualTo(T0.plusMillis(8000));
    }
}
