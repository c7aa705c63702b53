package org.devicegrant.code;

import java.util.Locale;
import java.util.Objects;

/**
 * The untargeted user-code brute-force estimate of SECURITY-TESTS.md §2.1 (REQ-UC-4): an
 * attacker wins if a wrong guess happens to match <em>any</em> of the codes pending at the
 * time, so the expected number of hits per day is E_day = F_day · A_max / S.
 *
 * <p>RFC 8628 §5.1 asks for a user code with "enough entropy that, when combined with rate
 * limiting and other mitigations, a brute-force attack becomes infeasible"; the engine checks
 * this estimate at start-up against the deployer's accepted risk.
 *
 * <p>An immutable value; thread-safe.
 *
 * @param codeSpace      S, the number of distinct user codes ({@link UserCodeFormat#codeSpace()});
 *                       at least 1
 * @param maxPending     A_max, the most user codes pending at once in a tenant; at least 1
 * @param failuresPerDay F_day, the wrong guesses the server evaluates per day, cluster-wide;
 *                       zero or more
 */
public record BruteForceRisk(double codeSpace, long maxPending, double failuresPerDay) {

    /** The default accepted expected hits per day (REQ-UC-4): 0.01. */
    public static final double DEFAULT_ACCEPTED_HITS_PER_DAY = 0.01;

    /**
     * @throws IllegalArgumentException if a component is outside its range or not finite
     */
    public BruteForceRisk {
        requireCodeSpace(codeSpace);
        requireMaxPending(maxPending);
        if (!(failuresPerDay >= 0) || Double.isInfinite(failuresPerDay)) {
            throw new IllegalArgumentException("failuresPerDay must be a finite number >= 0, was " + failuresPerDay);
        }
    }

    /** E_day = F_day · A_max / S: the expected number of successful guesses per day. */
    public double expectedHitsPerDay() {
        return failuresPerDay * maxPending / codeSpace;
    }

    /** 1 − e^(−E_day): the probability of at least one successful guess in a day. */
    public double probabilityOfHitPerDay() {
        return -Math.expm1(-expectedHitsPerDay());
    }

    /** True if {@link #expectedHitsPerDay()} is above {@code acceptedHitsPerDay}. */
    public boolean exceeds(double acceptedHitsPerDay) {
        return expectedHitsPerDay() > acceptedHitsPerDay;
    }

    /**
     * The budget rule F_day ≤ −ln(1 − p) · S / A: the most wrong guesses per day, cluster-wide,
     * that keep the daily probability of a hit at or below {@code acceptedProbabilityPerDay}.
     *
     * @param codeSpace                 S, at least 1
     * @param maxPending                A_max, at least 1
     * @param acceptedProbabilityPerDay p, strictly between 0 and 1
     * @throws IllegalArgumentException if an argument is outside its range
     */
    public static double maxFailuresPerDay(double codeSpace, long maxPending, double acceptedProbabilityPerDay) {
        requireCodeSpace(codeSpace);
        requireMaxPending(maxPending);
        if (!(acceptedProbabilityPerDay > 0 && acceptedProbabilityPerDay < 1)) {
            throw new IllegalArgumentException(
                    "acceptedProbabilityPerDay must be between 0 and 1 (exclusive), was " + acceptedProbabilityPerDay);
        }
        return -Math.log1p(-acceptedProbabilityPerDay) * codeSpace / maxPending;
    }

    /**
     * One line for an operator, with the code space given in bits, e.g.
     * {@code "E_day = 5.6e-03 for S = 2.56e10 (34.6 bits), A_max = 1000, F = 144000/day"}.
     */
    public String describe() {
        String bits = String.format(Locale.ROOT, "%.1f bits", Math.log(codeSpace) / Math.log(2));
        return line(bits);
    }

    /**
     * One line for an operator, with the code space named after {@code format}, e.g.
     * {@code "E_day = 5.6e-03 for S = 2.56e10 (8 x base-20), A_max = 1000, F = 144000/day"}.
     *
     * @throws IllegalArgumentException if {@code format}'s code space is not {@link #codeSpace()}
     */
    public String describe(UserCodeFormat format) {
        Objects.requireNonNull(format, "format");
        if (format.codeSpace() != codeSpace) {
            throw new IllegalArgumentException("format has code space " + compact(format.codeSpace())
                    + ", this estimate " + compact(codeSpace));
        }
        return line(format.length() + " x base-" + format.charset().length());
    }

    private String line(String codeSpaceLabel) {
        String failures = failuresPerDay == Math.rint(failuresPerDay)
                ? String.format(Locale.ROOT, "%.0f", failuresPerDay)
                : String.format(Locale.ROOT, "%.2f", failuresPerDay);
        return String.format(Locale.ROOT, "E_day = %.1e for S = %s (%s), A_max = %d, F = %s/day",
                expectedHitsPerDay(), compact(codeSpace), codeSpaceLabel, maxPending, failures);
    }

    private static String compact(double value) {
        return String.format(Locale.ROOT, "%.2e", value).replaceFirst("e\\+?(-?)0*(\\d)", "e$1$2");
    }

    private static void requireCodeSpace(double codeSpace) {
        if (!(codeSpace >= 1) || Double.isInfinite(codeSpace)) {
            throw new IllegalArgumentException("codeSpace must be a finite number >= 1, was " + codeSpace);
        }
    }

    private static void requireMaxPending(long maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, was " + maxPending);
        }
    }
}
