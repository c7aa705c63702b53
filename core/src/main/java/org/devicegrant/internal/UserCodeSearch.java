package org.devicegrant.internal;

import org.devicegrant.storage.DeviceAuthorization;

import java.time.Duration;
import java.util.Objects;

/** What looking up a user code typed on the verification page found (RFC 8628 §3.3), before any decision. */
public sealed interface UserCodeSearch {

    /** The input is no user code of any format the grant declares; not charged, never looked up. */
    record Malformed() implements UserCodeSearch {
    }

    /** The attempt limiter refused this attempt (RFC 8628 §5.1); the store was not asked. */
    record Refused(Duration retryAfter) implements UserCodeSearch {
        public Refused {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** No authorization of the tenant has this code. */
    record Unknown() implements UserCodeSearch {
    }

    /**
     * The authorization with this code, in whatever state it is.
     *
     * @param display the code in the display form of its format
     */
    record Found(DeviceAuthorization authorization, String display) implements UserCodeSearch {
        public Found {
            Objects.requireNonNull(authorization, "authorization");
            Objects.requireNonNull(display, "display");
        }

        /** Never shows the user code. */
        @Override
        public String toString() {
            return "Found[" + authorization.id() + "]";
        }
    }
}
