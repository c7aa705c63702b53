package org.devicegrant.storage.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;
import org.devicegrant.storage.tck.AttemptLimiterContract;
import org.devicegrant.storage.tck.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryAttemptLimiterTest extends AttemptLimiterContract {

    @Override
    protected AttemptLimiter createLimiter(AttemptPolicy policy, MutableClock clock) {
        return new InMemoryAttemptLimiter(policy);
    }

    @Test
    void whenBuiltWithoutPolicyThenDefaults() {
        assertThat(new InMemoryAttemptLimiter().policy()).isEqualTo(AttemptPolicy.defaults());
        assertThatThrownBy(() -> new InMemoryAttemptLimiter(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void whenKeysFallQuietThenTheyAreDroppedByLaterCalls() {
        InMemoryAttemptLimiter limiter = new InMemoryAttemptLimiter(new AttemptPolicy(5, Duration.ofSeconds(60),
                20, Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(15), 1_000_000,
                Duration.ofSeconds(60)));
        for (int i = 0; i < 10_000; i++) {
            limiter.tryAcquire(TENANT, "ip:" + i, now());
        }
        assertThat(limiter.trackedKeys()).isGreaterThan(9_000);

        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 6_000; i++) {
            limiter.tryAcquire(TENANT, "user:" + (i % 3), now());
            limiter.recordSuccess(TENANT, "user:" + (i % 3), now());
        }

        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(3);
    }

    @Test
    void whenTenantsFallQuietThenTheirGlobalBudgetsAreDroppedByLaterCalls() {
        // a namespace per source address, as core's client-secret budgets use: none may stay for good
        InMemoryAttemptLimiter limiter = new InMemoryAttemptLimiter();
        for (int i = 0; i < 10_000; i++) {
            limiter.tryAcquire("source:" + i, KEY, now());
        }
        assertThat(limiter.trackedTenants()).isEqualTo(10_000);

        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 6_000; i++) {
            limiter.tryAcquire(TENANT, "user:" + (i % 3), now());
            limiter.recordSuccess(TENANT, "user:" + (i % 3), now());
        }

        assertThat(limiter.trackedTenants()).isZero();
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(3);
    }

    @Test
    void whenOneTenantNamesManyKeysThenWhatItHoldsIsBoundedByItsGlobalBudget() {
        // one source address naming 10,000 made-up client ids keeps at most globalFailures keys
        InMemoryAttemptLimiter limiter = new InMemoryAttemptLimiter();
        int allowed = 0;
        for (int i = 0; i < 10_000; i++) {
            allowed += limiter.tryAcquire(TENANT, "made-up-client-" + i, now()).allowed() ? 1 : 0;
        }

        assertThat(allowed).isEqualTo(AttemptPolicy.defaults().globalFailures());
        assertThat(limiter.trackedKeys()).isEqualTo(AttemptPolicy.defaults().globalFailures());
        assertThat(limiter.trackedTenants()).isEqualTo(1);
    }

    @Test
    void whenEveryChargeIsRefundedThenTheTenantIsNotKept() {
        InMemoryAttemptLimiter limiter = new InMemoryAttemptLimiter();

        limiter.tryAcquire(TENANT, KEY, now());
        limiter.recordSuccess(TENANT, KEY, now());

        assertThat(limiter.trackedTenants()).isZero();
        assertThat(limiter.trackedKeys()).isZero();
    }

    @Test
    void whenQuietForTheLongWindowThenLockoutDoublingStartsOver() {
        InMemoryAttemptLimiter limiter = new InMemoryAttemptLimiter();
        assertThat(spendBurst(limiter, KEY)).isEqualTo(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        assertThat(spendBurst(limiter, KEY)).isEqualTo(Duration.ofSeconds(120));

        clock.advance(Duration.ofSeconds(120).plus(Duration.ofMinutes(10)));

        assertThat(spendBurst(limiter, KEY)).isEqualTo(Duration.ofSeconds(60));
    }
}
