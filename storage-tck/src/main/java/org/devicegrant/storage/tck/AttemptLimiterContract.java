package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of {@link AttemptLimiter}: every limiter's test class extends it and
 * implements {@link #createLimiter(AttemptPolicy, MutableClock)}.
 *
 * <p>The semantics it pins down, for every implementation alike (RFC 8628 §5.1: user-code
 * attempts are rate-limited):
 * <ul>
 *   <li>An allowed attempt is charged as a failure at once; {@code recordSuccess} refunds that
 *       one charge and never resets earlier failures. A refused attempt is not charged.</li>
 *   <li>Windows slide: a failure at {@code t} counts while {@code now - window < t}.</li>
 *   <li>When a key has {@code burstFailures} failures within {@code burstWindow}, its next attempt
 *       is refused and starts a lockout of {@code initialLockout}; each further lockout of the key
 *       doubles, capped at {@code maxLockout}. Failures before a lockout ended do not count toward
 *       the next burst. {@code retryAfter} is the rest of the lockout.</li>
 *   <li>A key with {@code windowFailures} failures within {@code window} is refused until the
 *       oldest of them leaves the window; {@code retryAfter} says when.</li>
 *   <li>A tenant's keys together are allowed exactly {@code globalFailures} charges within
 *       {@code globalWindow}, however many threads race; tenants are independent.</li>
 * </ul>
 *
 * <p>Each test creates its own limiters and clock; the class is not thread-safe and tests
 * must not run in parallel with each other (the race tests make their own threads).
 *
 * <p>A healthy limiter never throws {@link org.devicegrant.storage.StoreUnavailableException}, so
 * no test expects it; shared limiters test their fault behaviour in their own suites.
 */
public abstract class AttemptLimiterContract {

    /** Threads used by the race tests. */
    protected static final int THREADS = 64;
    /** The tenant most tests use. */
    protected static final String TENANT = Fixtures.TENANT;
    /** An attempt key: the source of the attempts. */
    protected static final String KEY = "ip:203.0.113.7";

    private static final AttemptPolicy DEFAULTS = AttemptPolicy.defaults();
    /** Only the burst and its lockouts bind: 5 per minute, lockouts 60 s doubling to 4 min. */
    private static final AttemptPolicy BURST_ONLY = new AttemptPolicy(5, Duration.ofSeconds(60), 10_000,
            Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(4), 100_000, Duration.ofSeconds(60));
    /** Only the long window binds: 20 per 10 minutes. */
    private static final AttemptPolicy WINDOW_ONLY = new AttemptPolicy(10_000, Duration.ofSeconds(60), 20,
            Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(15), 100_000, Duration.ofSeconds(60));
    /** Only the tenant's global budget binds: 100 per minute. */
    private static final AttemptPolicy GLOBAL_ONLY = new AttemptPolicy(10_000, Duration.ofSeconds(60), 10_000,
            Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofMinutes(15), 100, Duration.ofSeconds(60));

    /** The clock handed to {@link #createLimiter}; starts at {@link Fixtures#START}. */
    protected MutableClock clock;
    private final List<AttemptLimiter> created = new ArrayList<>();

    /**
     * A new limiter with no recorded attempts, enforcing {@code policy}. Called by the tests,
     * possibly more than once per test.
     *
     * @param clock the clock of this test; limiters that read time themselves must use it
     */
    protected abstract AttemptLimiter createLimiter(AttemptPolicy policy, MutableClock clock) throws Exception;

    /** Releases what {@link #createLimiter} acquired. Called after every test; does nothing by default. */
    protected void closeLimiter(AttemptLimiter limiter) throws Exception {
    }

    @BeforeEach
    final void setUpClock() {
        clock = Fixtures.clock();
    }

    @AfterEach
    final void closeLimiters() throws Exception {
        for (AttemptLimiter limiter : created) {
            closeLimiter(limiter);
        }
        created.clear();
    }

    /** A fresh limiter enforcing {@code policy}, closed after the test. */
    protected final AttemptLimiter limiter(AttemptPolicy policy) throws Exception {
        AttemptLimiter limiter = createLimiter(policy, clock);
        created.add(limiter);
        return limiter;
    }

    @Test
    void whenCreatedThenPolicyIsTheConfiguredOne() throws Exception {
        assertThat(limiter(BURST_ONLY).policy()).isEqualTo(BURST_ONLY);
    }

    @Test
    void whenBurstSpentThenSixthAttemptIsRefusedEvenIfItsCodeWouldBeRight() throws Exception {
        // RFC 8628 §5.1: failures 1-5 are evaluated; the 6th is refused before any
        // lookup, so a correct code cannot slip through
        AttemptLimiter limiter = limiter(DEFAULTS);
        for (int i = 1; i <= 5; i++) {
            assertThat(limiter.tryAcquire(TENANT, KEY, now())).as("attempt %d", i).isEqualTo(AttemptDecision.allow());
        }

        AttemptDecision sixth = limiter.tryAcquire(TENANT, KEY, now());

        assertThat(sixth.allowed()).isFalse();
        assertThat(sixth.retryAfter()).isEqualTo(DEFAULTS.initialLockout());
    }

    @Test
    void whenLockedOutThenRefusalsAreNotChargedAndAFullBurstFollowsTheLockout() throws Exception {
        AttemptLimiter limiter = limiter(BURST_ONLY);
        spendBurst(limiter, KEY);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(5));
            AttemptDecision refused = limiter.tryAcquire(TENANT, KEY, now());
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(55 - 5L * i));
        }
        clock.advance(Duration.ofSeconds(10));

        assertThat(allowedInARow(limiter, KEY, 10)).isEqualTo(5);
    }

    @Test
    void whenNextBurstSpentThenLockoutDoubles() throws Exception {
        // RFC 8628 §5.1 rate limiting: exponential backoff, doubling
        AttemptLimiter limiter = limiter(BURST_ONLY);

        assertThat(spendBurst(limiter, KEY)).isEqualTo(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        assertThat(spendBurst(limiter, KEY)).isEqualTo(Duration.ofSeconds(120));
        clock.advance(Duration.ofSeconds(119));
        assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(spendBurst(limiter, KEY)).isEqualTo(Duration.ofSeconds(240));
    }

    @Test
    void whenDoubledLockoutWouldExceedMaxThenItIsCapped() throws Exception {
        // the doubling is capped (here at 4 minutes)
        AttemptLimiter limiter = limiter(BURST_ONLY);
        List<Duration> lockouts = new ArrayList<>();
        for (int burst = 0; burst < 5; burst++) {
            Duration lockout = spendBurst(limiter, KEY);
            lockouts.add(lockout);
            clock.advance(lockout);
        }

        assertThat(lockouts).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(120),
                Duration.ofSeconds(240), Duration.ofSeconds(240), Duration.ofSeconds(240));
    }

    @Test
    void whenWindowBudgetSpentThenRefusedUntilTheOldestFailureLeavesTheWindow() throws Exception {
        // at most 20 failures per source per 10 minutes
        AttemptLimiter limiter = limiter(WINDOW_ONLY);
        Instant first = now();
        for (int i = 1; i <= 20; i++) {
            assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).as("failure %d", i).isTrue();
            clock.advance(Duration.ofSeconds(10));
        }

        AttemptDecision refused = limiter.tryAcquire(TENANT, KEY, now());

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.between(now(), first.plus(WINDOW_ONLY.window())));
        clock.setInstant(first.plus(WINDOW_ONLY.window()).minusMillis(1));
        assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isFalse();
        clock.setInstant(first.plus(WINDOW_ONLY.window()));
        assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isTrue();
        assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isFalse();
    }

    @Test
    void whenSuccessRecordedThenItsChargeIsRefunded() throws Exception {
        AttemptLimiter limiter = limiter(DEFAULTS);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isTrue();
        }
        limiter.recordSuccess(TENANT, KEY, now());

        assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isTrue();
        assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isFalse();
    }

    @Test
    void whenSuccessRecordedThenEarlierFailuresStillCount() throws Exception {
        // a success never resets the per-source failure count
        AttemptLimiter limiter = limiter(DEFAULTS);
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isTrue();
        }
        assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isTrue();
        limiter.recordSuccess(TENANT, KEY, now());

        assertThat(allowedInARow(limiter, KEY, 10)).isEqualTo(1);
    }

    @Test
    void whenKeysDifferThenTheirBudgetsAreIndependent() throws Exception {
        AttemptLimiter limiter = limiter(DEFAULTS);
        spendBurst(limiter, KEY);

        assertThat(allowedInARow(limiter, "ip:198.51.100.9", 10)).isEqualTo(5);
        assertThat(limiter.tryAcquire(TENANT, KEY, now()).allowed()).isFalse();
    }

    @Test
    void whenTenantsDifferThenTheirBudgetsAreIndependent() throws Exception {
        AttemptLimiter global = limiter(GLOBAL_ONLY);
        for (int i = 0; i < 100; i++) {
            assertThat(global.tryAcquire(TENANT, "ip:" + i, now()).allowed()).isTrue();
        }
        AttemptLimiter perKey = limiter(DEFAULTS);
        spendBurst(perKey, KEY);

        assertThat(global.tryAcquire(TENANT, "ip:fresh", now()).allowed()).isFalse();
        assertThat(global.tryAcquire(Fixtures.OTHER_TENANT, "ip:fresh", now()).allowed()).isTrue();
        assertThat(global.tryAcquire(Fixtures.OTHER_TENANT, "ip:0", now()).allowed()).isTrue();
        assertThat(perKey.tryAcquire(TENANT, KEY, now()).allowed()).isFalse();
        assertThat(perKey.tryAcquire(Fixtures.OTHER_TENANT, KEY, now()).allowed()).isTrue();
    }

    @Test
    void whenGlobalBudgetSpentThenEveryKeyOfTheTenantIsRefusedUntilTheWindowSlides() throws Exception {
        // the tenant's global budget: F = 100 evaluated failures per minute, whatever the source
        AttemptLimiter limiter = limiter(GLOBAL_ONLY);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire(TENANT, "ip:" + i, now()).allowed()).isTrue();
        }
        clock.advance(Duration.ofSeconds(20));

        AttemptDecision refused = limiter.tryAcquire(TENANT, "ip:fresh", now());

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(40));
        clock.advance(Duration.ofSeconds(40));
        assertThat(limiter.tryAcquire(TENANT, "ip:fresh", now()).allowed()).isTrue();
    }

    @Test
    void whenManyThreadsRaceThenTheGlobalBudgetIsExact() throws Exception {
        // the global counter is atomic, so exactly F attempts pass
        AttemptLimiter limiter = limiter(GLOBAL_ONLY);
        for (int round = 0; round < 5; round++) {
            int r = round;
            List<Integer> allowed = race(THREADS, thread -> {
                int count = 0;
                for (int i = 0; i < 10; i++) {
                    if (limiter.tryAcquire(TENANT, "ip:" + r + "." + thread + "." + i, now()).allowed()) {
                        count++;
                    }
                }
                return count;
            });

            assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).as("round %d", round).isEqualTo(100);
            clock.advance(GLOBAL_ONLY.globalWindow());
        }
    }

    @Test
    void whenManyThreadsRaceOnOneKeyThenExactlyTheBurstIsAllowed() throws Exception {
        AttemptLimiter limiter = limiter(DEFAULTS);

        List<Integer> allowed = race(THREADS, thread -> limiter.tryAcquire(TENANT, KEY, now()).allowed() ? 1 : 0);

        assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
    }

    @Test
    void whenAllWindowsHavePassedThenAttemptsAreAllowedAgain() throws Exception {
        AttemptLimiter limiter = limiter(DEFAULTS);
        spendBurst(limiter, KEY);
        for (int i = 0; i < 100; i++) {
            limiter.tryAcquire(TENANT, "ip:" + i, now());
        }
        assertThat(limiter.tryAcquire(TENANT, "ip:fresh", now()).allowed()).isFalse();

        clock.advance(DEFAULTS.window());

        assertThat(allowedInARow(limiter, KEY, 10)).isEqualTo(5);
        assertThat(limiter.tryAcquire(TENANT, "ip:fresh", now()).allowed()).isTrue();
    }

    /** The clock's current instant. */
    protected final Instant now() {
        return clock.instant();
    }

    /**
     * Makes allowed attempts on {@code key} until one is refused (at most 1,000); returns that
     * refusal's {@code retryAfter}.
     */
    protected final Duration spendBurst(AttemptLimiter limiter, String key) {
        for (int i = 0; i < 1_000; i++) {
            AttemptDecision decision = limiter.tryAcquire(TENANT, key, now());
            if (!decision.allowed()) {
                return decision.retryAfter();
            }
        }
        throw new AssertionError("1,000 attempts in a row were allowed");
    }

    /** Makes up to {@code max} attempts on {@code key} and counts how many were allowed before the first refusal. */
    protected final int allowedInARow(AttemptLimiter limiter, String key, int max) {
        for (int i = 0; i < max; i++) {
            if (!limiter.tryAcquire(TENANT, key, now()).allowed()) {
                return i;
            }
        }
        return max;
    }

    /** One racer's work, given its index. */
    @FunctionalInterface
    protected interface Racer {
        /** Does this racer's share of the work and returns how many attempts were allowed. */
        int run(int thread) throws Exception;
    }

    /** Runs {@code racer} on {@code threads} threads released at once by a start gate; returns their results. */
    protected static List<Integer> race(int threads, Racer racer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    if (!start.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start gate never opened");
                    }
                    return racer.run(thread);
                }));
            }
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("all racers ready").isTrue();
            start.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
