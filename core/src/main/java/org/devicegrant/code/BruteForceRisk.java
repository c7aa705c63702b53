package org.devicegrant.code;

import org.devicegrant.internal.Setting;

import java.util.Locale;

/**
 * The untargeted user-code brute-force estimate: an attacker wins if a wrong guess happens to
 * match <em>any</em> of the codes pending at the time, so the expected number of hits per day is
 * E_day = F_day · A_max / S.
 *
 * <p>RFC 8628 §5.1 asks for a user code with "enough entropy that, when combined with rate
 * limiting and other mitigations, a brute-force attack becomes infeasible"; the grant checks
 * this estimate, for every declared user-code format and pending cap, against the accepted risk
 * of its {@link org.devicegrant.CodePolicy}.
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

    /**
     * @throws org.devicegrant.InvalidSettingException if a component is outside its range or not finite
     */
    public BruteForceRisk {
        Setting.require(codeSpace >= 1 && !Double.isInfinite(codeSpace), "codeSpace", "a finite number >= 1",
                codeSpace);
        Setting.require(maxPending >= 1, "maxPending", "at least 1", maxPending);
        Setting.require(failuresPerDay >= 0 && !Double.isInfinite(failuresPerDay), "failuresPerDay",
                "a finite number >= 0", failuresPerDay);
    }

    /** E_day = F_day · A_max / S: the expected number of successful guesses per day. */
    public double expectedHitsPerDay() {
        return failuresPerDay * maxPending / codeSpace;
    }

    /** True if {@link #expectedHitsPerDay()} is above {@code acceptedHitsPerDay}. */
    public boolean exceeds(double acceptedHitsPerDay) {
        return expectedHitsPerDay() > acceptedHitsPerDay;
    }

    /**
     * One line for an operator, with the code space given in bits, e.g.
     * {@code "E_day = 5.6e-03 for S = 2.56e10 (34.6 bits), A_max = 1000, F = 144000/day"}.
     */
    public String describe() {
        String bits = String.format(Locale.ROOT, "%.1f bits", Math.log(codeSpace) / Math.log(2));
        String failures = failuresPerDay == Math.rint(failuresPerDay)
                ? String.format(Locale.ROOT, "%.0f", failuresPerDay)
                : String.format(Locale.ROOT, "%.2f", failuresPerDay);
        return String.format(Locale.ROOT, "E_day = %.1e for S = %s (%s), A_max = %d, F = %s/day",
                expectedHitsPerDay(), compact(codeSpace), bits, maxPending, failures);
    }

    private static String compact(double value) {
        return String.format(Locale.ROOT, "%.2e", value).replaceFirst("e\\+?(-?)0*(\\d)", "e$1$2");
    }
}
