package org.devicegrant;

import java.security.SecureRandom;
import java.time.Clock;

/** The clock and randomness a {@link DeviceGrant} uses when the host injects none. */
@SuppressForbidden
final class Defaults {

    private Defaults() {
    }

    static Clock clock() {
        return Clock.systemUTC();
    }

    static SecureRandom secureRandom() {
        return new SecureRandom();
    }
}
