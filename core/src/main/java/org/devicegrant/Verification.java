package org.devicegrant;

import org.devicegrant.internal.GrantContext;
import org.devicegrant.internal.GrantEvents;
import org.devicegrant.internal.StateMachine;
import org.devicegrant.internal.UserCodeSearch;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.StoreUnavailableException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The API the host's verification page calls (RFC 8628 §3.3): look a user code up, then record
 * the user's approval or denial. Thread-safe.
 *
 * <p>Every method normalises the code first (case, dashes, spaces, look-alikes: §6.1), then asks
 * the attempt limiter (§5.1) <em>before</em> touching the store: a refused attempt is never
 * evaluated, even when its code is right. {@link #lookup} charges the attempt key the host
 * passes (the client IP from a trusted proxy header, say); {@link #approve} and {@link #deny}
 * charge the deciding subject, so that a logged-in user cannot brute-force codes through them.
 * A lookup that finds a usable code refunds its own charge, but never resets earlier failures.
 *
 * <p>A GET of the verification page should only ever call {@link #lookup}, which changes no
 * authorization; the decisions belong to a POST with CSRF protection.
 *
 * @throws StoreUnavailableException from every method when the store or a shared limiter fails
 */
public final class Verification {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Compare-and-set attempts for one decision; only a device polling at the same instant moves the version. */
    static final int DECISION_ATTEMPTS = 8;

    private final GrantContext ctx;
    private final GrantEvents events;

    Verification(GrantContext ctx) {
        this.ctx = ctx;
        this.events = new GrantEvents(ctx.listener());
    }

    /**
     * Looks a user code up for the consent screen. Changes no authorization.
     *
     * @param tenant     the tenant of the page
     * @param userCode   what the user typed or the link carried, in any case and with any separators
     * @param attemptKey identifies the source for rate limiting (e.g. the client IP); not logged
     */
    public LookupResult lookup(String tenant, String userCode, String attemptKey) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(attemptKey, "attemptKey");
        Instant now = ctx.clock().instant();
        UserCodeSearch search = search(tenant, userCode, attemptKey, now);
        if (search instanceof UserCodeSearch.Refused refused) {
            return new LookupResult.RateLimited(refused.retryAfter());
        }
        if (!(search instanceof UserCodeSearch.Found found)) {
            return new LookupResult.NotFound();
        }
        DeviceAuthorization a = found.authorization();
        LookupResult result = lookupResult(tenant, attemptKey, a, found.display(), now);
        events.lookup(tenant, now, a, result);
        return result;
    }

    private LookupResult lookupResult(String tenant, String attemptKey, DeviceAuthorization a, String display,
            Instant now) {
        if (a.status() != AuthorizationStatus.PENDING) {
            return new LookupResult.AlreadyUsed();
        }
        if (a.isExpired(now)) {
            return new LookupResult.Expired();
        }
        ctx.attemptLimiter().recordSuccess(tenant, attemptKey, now);
        String clientName = ctx.clients().find(tenant, a.clientId()).map(OAuthClient::name).orElse(a.clientId());
        return new LookupResult.Pending(a.id(), a.clientId(), clientName, a.requestedScopes(), a.deviceMetadata(),
                display, a.createdAt(), Duration.between(now, a.expiresAt()));
    }

    /**
     * Records the user's approval: PENDING → APPROVED by compare-and-set. Of two users approving
     * the same code at once, exactly one wins; the other gets {@link DecisionResult.AlreadyUsed}.
     *
     * @param subject       the authenticated user; becomes the tokens' {@code sub}
     * @param grantedScopes what the user granted: a subset of the requested scopes
     * @param claims        extra claims for the token issuer (JSON-serialisable values), may be empty
     * @param authTime      when the user authenticated, or null
     * @throws IllegalArgumentException the claims cannot be written as JSON
     */
    public DecisionResult approve(String tenant, String userCode, String subject, Set<String> grantedScopes,
            Map<String, Object> claims, Instant authTime) {
        Objects.requireNonNull(subject, "subject");
        Set<String> granted = Set.copyOf(grantedScopes);
        String claimsJson = claimsJson(claims);
        return decide(tenant, userCode, subject, (a, now) -> {
            if (!a.requestedScopes().containsAll(granted)) {
                Set<String> extra = new HashSet<>(granted);
                extra.removeAll(a.requestedScopes());
                return new Decision(null, new DecisionResult.ScopesNotRequested(extra));
            }
            return new Decision(ctx.stateMachine().approve(a, subject, granted, claimsJson, authTime, now), null);
        });
    }

    /** Records the user's denial: PENDING → DENIED by compare-and-set. The device then gets {@code access_denied}. */
    public DecisionResult deny(String tenant, String userCode, String subject) {
        Objects.requireNonNull(subject, "subject");
        return decide(tenant, userCode, subject,
                (a, now) -> new Decision(ctx.stateMachine().deny(a, subject, now), null));
    }

    private record Decision(StateMachine.Transition transition, DecisionResult refusal) {
    }

    @FunctionalInterface
    private interface Decider {
        Decision decide(DeviceAuthorization a, Instant now);
    }

    private DecisionResult decide(String tenant, String userCode, String subject, Decider decider) {
        Objects.requireNonNull(tenant, "tenant");
        Instant now = ctx.clock().instant();
        String attemptKey = "subject:" + subject;
        UserCodeSearch search = search(tenant, userCode, attemptKey, now);
        if (search instanceof UserCodeSearch.Refused refused) {
            return new DecisionResult.RateLimited(refused.retryAfter());
        }
        if (!(search instanceof UserCodeSearch.Found found)) {
            return new DecisionResult.NotFound();
        }
        ctx.attemptLimiter().recordSuccess(tenant, attemptKey, now);
        DeviceAuthorization a = found.authorization();
        for (int attempt = 0; attempt < DECISION_ATTEMPTS; attempt++) {
            Decision d = decider.decide(a, now);
            if (d.refusal() != null) {
                return d.refusal();
            }
            StateMachine.Transition t = d.transition();
            if (!t.changes() || ctx.store().replace(a.version(), t.next())) {
                events.decision(tenant, now, a, t.outcome());
                return switch (t.outcome()) {
                    case DECISION_TOO_LATE -> new DecisionResult.Expired();
                    case ALREADY_DECIDED -> new DecisionResult.AlreadyUsed();
                    default -> new DecisionResult.Recorded(a.id());
                };
            }
            // the version moved: a poll of the device, or another user's decision; decide on the latest
            Optional<DeviceAuthorization> latest = ctx.store().findById(tenant, a.id());
            if (latest.isEmpty()) {
                return new DecisionResult.NotFound();
            }
            a = latest.get();
        }
        return new DecisionResult.AlreadyUsed();
    }

    /**
     * Normalises the input under every user-code format the grant declares (RFC 8628 §6.1: case,
     * separators, look-alikes), asks the attempt limiter once, then looks each distinct candidate up.
     * Malformed input is not charged: it never reaches the store.
     */
    private UserCodeSearch search(String tenant, String input, String attemptKey, Instant now) {
        UserCodeSearch search = searchCandidates(tenant, input, attemptKey, now);
        events.search(tenant, now, search);
        return search;
    }

    private UserCodeSearch searchCandidates(String tenant, String input, String attemptKey, Instant now) {
        Map<String, UserCodeFormat> candidates = new LinkedHashMap<>();
        for (UserCodeFormat format : ctx.userCodeFormats()) {
            format.normalize(input).ifPresent(canonical -> candidates.putIfAbsent(canonical, format));
        }
        if (candidates.isEmpty()) {
            return new UserCodeSearch.Malformed();
        }
        AttemptDecision decision = ctx.attemptLimiter().tryAcquire(tenant, attemptKey, now);
        if (!decision.allowed()) {
            return new UserCodeSearch.Refused(decision.retryAfter());
        }
        for (Map.Entry<String, UserCodeFormat> candidate : candidates.entrySet()) {
            Optional<DeviceAuthorization> found = ctx.store()
                    .findByUserCodeHash(tenant, ctx.hasher().userCodeHash(candidate.getKey()));
            if (found.isPresent()) {
                return new UserCodeSearch.Found(found.get(), candidate.getValue().display(candidate.getKey()));
            }
        }
        return new UserCodeSearch.Unknown();
    }

    private static String claimsJson(Map<String, Object> claims) {
        if (claims == null || claims.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims must be JSON-serialisable: " + e.getOriginalMessage());
        }
    }
}
