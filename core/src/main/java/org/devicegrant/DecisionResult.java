package org.devicegrant;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/** What {@link Verification#approve} or {@link Verification#deny} did. */
public sealed interface DecisionResult {

    /** The decision is recorded; tell the user to return to the device (RFC 8628 §3.3). */
    record Recorded(String authorizationId) implements DecisionResult {
        public Recorded {
            Objects.requireNonNull(authorizationId, "authorizationId");
        }
    }

    /** No authorization has this code. Nothing changed. */
    record NotFound() implements DecisionResult {
    }

    /** The code expired before the decision. Nothing changed. */
    record Expired() implements DecisionResult {
    }

    /** The code was already approved, denied or redeemed, possibly by someone else just now. Nothing changed. */
    record AlreadyUsed() implements DecisionResult {
    }

    /** Scopes were granted that the device did not request. Nothing changed. */
    record ScopesNotRequested(Set<String> scopes) implements DecisionResult {
        public ScopesNotRequested {
            scopes = Set.copyOf(scopes);
        }
    }

    /** Too many failed attempts by this subject; nothing was evaluated. */
    record RateLimited(Duration retryAfter) implements DecisionResult {
        public RateLimited {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }
}
