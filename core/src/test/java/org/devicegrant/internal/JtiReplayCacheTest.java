package org.devicegrant.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JtiReplayCacheTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant UNTIL = T0.plus(Duration.ofMinutes(10));

    private final JtiReplayCache cache = new JtiReplayCache(3);
    private final JtiReplayCache.Key key = new JtiReplayCache.Key("t1", "svc", "jti-1");

    @Test
    void markUsedWhenFirstSeenThenFirstUse() {
        assertThat(cache.markUsed(key, UNTIL, T0)).isEqualTo(JtiReplayCache.Outcome.FIRST_USE);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("B05 RFC 7523 §3: a jti seen within the window is a replay")
    void markUsedWhenSeenBeforeThenReplayed() {
        cache.markUsed(key, UNTIL, T0);

        assertThat(cache.markUsed(key, UNTIL, UNTIL.minusMillis(1))).isEqualTo(JtiReplayCache.Outcome.REPLAYED);
    }

    @Test
    void markUsedWhenEntryExpiredThenForgottenAndAcceptedAgain() {
        cache.markUsed(key, UNTIL, T0);

        assertThat(cache.markUsed(key, UNTIL.plusSeconds(600), UNTIL)).isEqualTo(JtiReplayCache.Outcome.FIRST_USE);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void markUsedWhenSameJtiOfOtherClientOrTenantThenFirstUse() {
        cache.markUsed(key, UNTIL, T0);

        assertThat(cache.markUsed(new JtiReplayCache.Key("t1", "other", "jti-1"), UNTIL, T0))
                .isEqualTo(JtiReplayCache.Outcome.FIRST_USE);
        assertThat(cache.markUsed(new JtiReplayCache.Key("t2", "svc", "jti-1"), UNTIL, T0))
                .isEqualTo(JtiReplayCache.Outcome.FIRST_USE);
    }

    @Test
    void markUsedWhenFullOfLiveEntriesThenFullAndNothingForgotten() {
        for (int i = 0; i < 3; i++) {
            cache.markUsed(new JtiReplayCache.Key("t1", "svc", "j" + i), UNTIL, T0);
        }

        assertThat(cache.markUsed(key, UNTIL, T0)).isEqualTo(JtiReplayCache.Outcome.FULL);
        assertThat(cache.markUsed(new JtiReplayCache.Key("t1", "svc", "j0"), UNTIL, T0))
                .isEqualTo(JtiReplayCache.Outcome.REPLAYED);
    }

    @Test
    void markUsedWhenFullButOldestExpiredThenMakesRoom() {
        cache.markUsed(new JtiReplayCache.Key("t1", "svc", "early"), T0.plusSeconds(1), T0);
        cache.markUsed(new JtiReplayCache.Key("t1", "svc", "j1"), UNTIL, T0);
        cache.markUsed(new JtiReplayCache.Key("t1", "svc", "j2"), UNTIL, T0);

        assertThat(cache.markUsed(key, UNTIL, T0.plusSeconds(1))).isEqualTo(JtiReplayCache.Outcome.FIRST_USE);
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void constructorWhenCapacityBelowOneThenRejected() {
        assertThatThrownBy(() -> new JtiReplayCache(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }
}
