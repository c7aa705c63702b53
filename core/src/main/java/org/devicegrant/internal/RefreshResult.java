package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

import java.util.Objects;

/**
 * What one {@code grant_type=refresh_token} request decided (RFC 6749 §6). The grant id, where
 * there is one, is for the listener's events; it is not a secret. Every refusal of the token
 * itself is the same {@code invalid_grant} body, so that the answer never tells whether a token
 * exists, belongs to another client, lapsed or was revoked (RFC 6749 §10.4).
 */
sealed interface RefreshResult extends EndpointResult permits RefreshResult.Refreshed, RefreshResult.Refused,
        RefreshResult.Reused, RefreshResult.ScopeWidened, RefreshResult.AccountRefused,
        RefreshResult.IssuanceFailed, Rejected {

    /** {@code invalid_grant}, one body for every refused refresh token. */
    ErrorObject INVALID_GRANT = OAuth2Error.INVALID_GRANT
            .setDescription("The refresh token is invalid, expired, revoked or was not issued to this client");

    /** Why a refresh token was refused without anything changing. */
    enum Reason {
        /** No grant holds or held this token in the tenant. */
        UNKNOWN,
        /** The token belongs to another client (RFC 6749 §10.4). */
        WRONG_CLIENT,
        /** The grant was revoked. */
        REVOKED,
        /** The grant lapsed: idle or absolute lifetime over. */
        EXPIRED
    }

    /**
     * RFC 6749 §5.1: new tokens under the grant.
     *
     * @param issued  the tokens, with the grant id as their authorization id
     * @param rotated the presented refresh token was retired and a new one issued
     */
    record Refreshed(PollResult.Issued issued, boolean rotated) implements RefreshResult {
        public Refreshed {
            Objects.requireNonNull(issued, "issued");
        }

        String grantId() {
            return issued.authorizationId();
        }
    }

    /**
     * {@code invalid_grant}: the token is not usable; nothing changed.
     *
     * @param grantId the grant it belongs to, or null when unknown
     */
    record Refused(String grantId, Reason reason) implements RefreshResult, Failure {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public ErrorObject error() {
            return INVALID_GRANT;
        }
    }

    /**
     * {@code invalid_grant}: a retired refresh token was presented again (RFC 9700 §4.14.2).
     *
     * @param revoked the grant was revoked by this request; false when it already was, or the
     *                token was presented within the grace after its rotation
     */
    record Reused(String grantId, boolean revoked) implements RefreshResult, Failure {
        @Override
        public ErrorObject error() {
            return INVALID_GRANT;
        }
    }

    /** RFC 6749 §6: {@code invalid_scope}, a scope the grant does not hold was asked for. */
    record ScopeWidened(String grantId) implements RefreshResult, Failure {
        static final ErrorObject ERROR = OAuth2Error.INVALID_SCOPE
                .setDescription("A refresh may only ask for scopes that were granted");

        @Override
        public ErrorObject error() {
            return ERROR;
        }
    }

    /** {@code invalid_grant}: the host's account check refused the grant's account; no tokens, grant kept. */
    record AccountRefused(String grantId) implements RefreshResult, Failure {
        @Override
        public ErrorObject error() {
            return PollResult.AccountRefused.ERROR;
        }
    }

    /** {@code server_error}: the account check or the token issuer failed; the grant is unchanged. */
    record IssuanceFailed(String grantId) implements RefreshResult, Failure {
        @Override
        public ErrorObject error() {
            return Rejected.SERVER_ERROR.error();
        }
    }
}
