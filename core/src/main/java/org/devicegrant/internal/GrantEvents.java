package org.devicegrant.internal;

import org.devicegrant.DecisionResult;
import org.devicegrant.DeviceGrant;
import org.devicegrant.DeviceGrantEvent;
import org.devicegrant.DeviceGrantListener;
import org.devicegrant.LookupResult;
import org.devicegrant.storage.DeviceAuthorization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The one place that turns what the endpoints and the verification API decided into
 * {@link DeviceGrantEvent}s for the host's listener: which results are worth an event, of which
 * type, with which detail. Events carry authorization ids, never a code or a token. A failing
 * listener is logged and never changes an outcome. Thread-safe when the listener is.
 */
public final class GrantEvents {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceGrant.class);

    private final DeviceGrantListener listener;

    public GrantEvents(DeviceGrantListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** After a request to the device authorization endpoint by {@code clientId}. */
    void deviceAuthorization(String tenant, String clientId, Instant at, DeviceAuthorizationResult result) {
        if (result instanceof DeviceAuthorizationResult.Issued issued) {
            emit(DeviceGrantEvent.Type.ISSUED, tenant, issued.authorizationId(), clientId, at, "");
        }
    }

    /**
     * After a poll by {@code clientId}. Denials, unknown codes, raced-out polls and malformed requests
     * are not events: the first was one when the user denied, the others concern no authorization.
     */
    void poll(String tenant, String clientId, Instant at, PollResult result) {
        if (result instanceof PollResult.Pending pending) {
            emit(DeviceGrantEvent.Type.POLLED, tenant, pending.authorizationId(), clientId, at, "");
        } else if (result instanceof PollResult.SlowDown slowDown) {
            emit(DeviceGrantEvent.Type.SLOW_DOWN, tenant, slowDown.authorizationId(), clientId, at,
                    "interval now " + slowDown.interval().toSeconds() + " s");
        } else if (result instanceof PollResult.Expired expired) {
            emit(DeviceGrantEvent.Type.EXPIRED, tenant, expired.authorizationId(), clientId, at, "poll");
        } else if (result instanceof PollResult.Replayed replayed) {
            emit(DeviceGrantEvent.Type.REPLAY, tenant, replayed.authorizationId(), clientId, at,
                    replayed.grantRevoked() ? "consumed device code presented again; its grant revoked"
                            : "consumed device code presented again");
        } else if (result instanceof PollResult.WrongClient wrongClient) {
            emit(DeviceGrantEvent.Type.WRONG_CLIENT, tenant, wrongClient.authorizationId(), clientId, at,
                    wrongClient.revoked() ? "authorization revoked" : "");
        } else if (result instanceof PollResult.AccountRefused refused) {
            emit(DeviceGrantEvent.Type.ACCOUNT_REFUSED, tenant, refused.authorizationId(), clientId, at,
                    "no tokens; authorization spent");
        } else if (result instanceof PollResult.IssuanceFailed failed) {
            emit(DeviceGrantEvent.Type.ISSUANCE_FAILED, tenant, failed.authorizationId(), clientId, at,
                    failed.restored() ? "restored to approved" : "left consumed");
        } else if (result instanceof PollResult.Issued issued) {
            emit(DeviceGrantEvent.Type.TOKENS_ISSUED, tenant, issued.authorizationId(), clientId, at, "");
        }
    }

    /**
     * After a refresh by {@code clientId}. The grant id stands where an authorization id stands in
     * other events (it is the id of the authorization the grant was redeemed from).
     */
    void refresh(String tenant, String clientId, Instant at, RefreshResult result) {
        if (result instanceof RefreshResult.Refreshed refreshed) {
            emit(DeviceGrantEvent.Type.REFRESHED, tenant, refreshed.grantId(), clientId, at,
                    refreshed.rotated() ? "refresh token rotated" : "");
        } else if (result instanceof RefreshResult.Reused reused) {
            emit(DeviceGrantEvent.Type.REFRESH_TOKEN_REUSED, tenant, reused.grantId(), clientId, at,
                    reused.revoked() ? "retired refresh token presented again; grant revoked"
                            : "retired refresh token presented again; grant not revoked by this request");
        } else if (result instanceof RefreshResult.Refused refused) {
            emit(DeviceGrantEvent.Type.REFRESH_REFUSED, tenant, refused.grantId(), clientId, at,
                    refused.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        } else if (result instanceof RefreshResult.ScopeWidened widened) {
            emit(DeviceGrantEvent.Type.REFRESH_REFUSED, tenant, widened.grantId(), clientId, at, "scope widened");
        } else if (result instanceof RefreshResult.AccountRefused refused) {
            emit(DeviceGrantEvent.Type.ACCOUNT_REFUSED, tenant, refused.grantId(), clientId, at,
                    "refresh; no tokens; grant kept");
        } else if (result instanceof RefreshResult.IssuanceFailed failed) {
            emit(DeviceGrantEvent.Type.ISSUANCE_FAILED, tenant, failed.grantId(), clientId, at,
                    "refresh; refresh token unchanged");
        }
    }

    /** After a user code was looked up for a lookup or a decision of the verification page. */
    public void search(String tenant, Instant at, UserCodeSearch search) {
        if (search instanceof UserCodeSearch.Malformed) {
            emit(DeviceGrantEvent.Type.LOOKUP_FAILED, tenant, null, null, at, "malformed user code");
        } else if (search instanceof UserCodeSearch.Refused refused) {
            emit(DeviceGrantEvent.Type.LOOKUP_REFUSED, tenant, null, null, at,
                    "retry after " + refused.retryAfter().toSeconds() + " s");
        } else if (search instanceof UserCodeSearch.Unknown) {
            emit(DeviceGrantEvent.Type.LOOKUP_FAILED, tenant, null, null, at, "unknown user code");
        }
    }

    /** After the verification page looked {@code found} up for its consent screen. */
    public void lookup(String tenant, Instant at, DeviceAuthorization found, LookupResult result) {
        if (result instanceof LookupResult.AlreadyUsed) {
            emit(DeviceGrantEvent.Type.LOOKUP_FAILED, tenant, found.id(), found.clientId(), at, "already used");
        } else if (result instanceof LookupResult.Expired) {
            emit(DeviceGrantEvent.Type.EXPIRED, tenant, found.id(), found.clientId(), at, "lookup");
        }
    }

    /**
     * After the user's decision on {@code found} ended with {@code outcome}: a recorded approval or
     * denial, or a decision that came too late. {@link DecisionResult.AlreadyUsed} is no event.
     */
    public void decision(String tenant, Instant at, DeviceAuthorization found, Outcome outcome) {
        switch (outcome) {
            case APPROVAL_RECORDED -> emit(DeviceGrantEvent.Type.APPROVED, tenant, found.id(), found.clientId(), at, "");
            case DENIAL_RECORDED -> emit(DeviceGrantEvent.Type.DENIED, tenant, found.id(), found.clientId(), at, "");
            case DECISION_TOO_LATE -> emit(DeviceGrantEvent.Type.EXPIRED, tenant, found.id(), found.clientId(), at,
                    "decision");
            default -> {
            }
        }
    }

    /** After a request to the revocation endpoint by {@code clientId}; only a revocation is an event. */
    void revocation(String tenant, String clientId, Instant at, RevocationResult result) {
        if (result instanceof RevocationResult.Revoked revoked) {
            grantRevoked(tenant, revoked.grantId(), clientId, at, "revocation endpoint, " + revoked.tokenKind());
        }
    }

    /** After {@code grantId} was revoked; {@code how} says by what, never with a token. */
    public void grantRevoked(String tenant, String grantId, String clientId, Instant at, String how) {
        emit(DeviceGrantEvent.Type.GRANT_REVOKED, tenant, grantId, clientId, at, how);
    }

    private void emit(DeviceGrantEvent.Type type, String tenant, String authorizationId, String clientId, Instant at,
            String detail) {
        try {
            listener.onEvent(new DeviceGrantEvent(type, tenant, authorizationId, clientId, at, detail));
        } catch (RuntimeException e) {
            LOG.warn("device grant listener failed on {}: {}", type, e.toString());
        }
    }
}
