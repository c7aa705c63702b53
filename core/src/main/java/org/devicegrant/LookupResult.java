package org.devicegrant;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Verification#lookup} found for a user code: everything the host's verification
 * page needs to decide what to show.
 */
public sealed interface LookupResult {

    /**
     * A pending authorization: show the consent screen. RFC 8628 §5.4 asks the page to say that
     * a <em>device</em> is being authorised, to show what is known of it, and (§3.3.1) to show
     * {@code userCode} and ask the user to check that the device shows the same code.
     *
     * @param authorizationId the authorization's id (safe to log; not a secret)
     * @param clientId        the requesting client
     * @param clientName      its display name
     * @param requestedScopes what it asks for
     * @param deviceMetadata  what is known of the device; keys in {@link DeviceMetadata}
     * @param userCode        the code in display form, to compare with the device's screen
     * @param requestedAt     when the device asked for the code
     * @param expiresIn       time left before the code expires
     */
    record Pending(String authorizationId, String clientId, String clientName, Set<String> requestedScopes,
            Map<String, String> deviceMetadata, String userCode, Instant requestedAt, Duration expiresIn)
            implements LookupResult {
        public Pending {
            Objects.requireNonNull(authorizationId, "authorizationId");
            requestedScopes = Set.copyOf(requestedScopes);
            deviceMetadata = Map.copyOf(deviceMetadata);
        }
    }

    /** No authorization has this code (or the input was not a well-formed code). */
    record NotFound() implements LookupResult {
    }

    /** The code has expired; the user should start again on the device. */
    record Expired() implements LookupResult {
    }

    /** The code was already approved, denied or redeemed: a user code opens one decision only. */
    record AlreadyUsed() implements LookupResult {
    }

    /** Too many attempts from this source; the code was not evaluated. Tell the user when to retry. */
    record RateLimited(Duration retryAfter) implements LookupResult {
        public RateLimited {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }
}
