package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import org.devicegrant.token.IssuedTokens;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one poll of the token endpoint decided (RFC 8628 §3.4–3.5). The authorization id, where
 * there is one, is for the listener's events; it is not a secret.
 */
sealed interface PollResult extends EndpointResult permits PollResult.Pending, PollResult.SlowDown,
        PollResult.RacedOut, PollResult.Denied, PollResult.Expired, PollResult.Replayed, PollResult.UnknownCode,
        PollResult.WrongClient, PollResult.AccountRefused, PollResult.IssuanceFailed, PollResult.Issued, Rejected {

    /** RFC 8628 §3.5 {@code authorization_pending}: the user has not decided yet. */
    record Pending(String authorizationId) implements PollResult, Failure {
        static final ErrorObject ERROR = DeviceAuthorizationGrantError.AUTHORIZATION_PENDING
                .setDescription("The user has not yet approved or denied this device");

        @Override
        public ErrorObject error() {
            return ERROR;
        }
    }

    /**
     * RFC 8628 §3.5 {@code slow_down}: the poll came too early.
     *
     * @param interval the interval in force from now on, already grown by 5 seconds
     */
    record SlowDown(String authorizationId, Duration interval) implements PollResult, Failure {
        public SlowDown {
            Objects.requireNonNull(interval, "interval");
        }

        @Override
        public ErrorObject error() {
            return DeviceAuthorizationGrantError.SLOW_DOWN.setDescription(
                    "Polling too fast; wait at least " + interval.toSeconds() + " seconds between polls");
        }
    }

    /** {@code slow_down}: polls of this code kept beating this one to the compare-and-set. */
    record RacedOut(String authorizationId) implements PollResult, Failure {
        static final ErrorObject ERROR = DeviceAuthorizationGrantError.SLOW_DOWN
                .setDescription("Poll no more often than the interval allows");

        @Override
        public ErrorObject error() {
            return ERROR;
        }
    }

    /** RFC 8628 §3.5 {@code access_denied}: the user denied, or the code leaked to another client. */
    record Denied(String authorizationId) implements PollResult, Failure {
        static final ErrorObject ERROR = OAuth2Error.ACCESS_DENIED
                .setDescription("The authorization request was denied");

        @Override
        public ErrorObject error() {
            return ERROR;
        }
    }

    /** RFC 8628 §3.5 {@code expired_token}: the device code expired before it was redeemed. */
    record Expired(String authorizationId) implements PollResult, Failure {
        static final ErrorObject ERROR = DeviceAuthorizationGrantError.EXPIRED_TOKEN
                .setDescription("The device code has expired; start a new device authorization");

        @Override
        public ErrorObject error() {
            return ERROR;
        }
    }

    /**
     * {@code invalid_grant} (RFC 6749 §5.2): the device code was redeemed before.
     *
     * @param grantRevoked the grant its redemption created was revoked by this request (RFC 6749 §10.5)
     */
    record Replayed(String authorizationId, boolean grantRevoked) implements PollResult, Failure {
        static final ErrorObject ERROR = OAuth2Error.INVALID_GRANT
                .setDescription("The device code has already been used");

        @Override
        public ErrorObject error() {
            return ERROR;
        }
    }

    /**
     * {@code invalid_grant} (RFC 6749 §5.2): no authorization has this device code. A code of another
     * client gets the very same error, so that the answer never tells that a code exists.
     */
    record UnknownCode() implements PollResult, Failure {
        static final ErrorObject ERROR = OAuth2Error.INVALID_GRANT
                .setDescription("The device code is invalid or was not issued to this client");

        @Override
        public ErrorObject error() {
            return ERROR;
        }
    }

    /**
     * A client presented a device code issued to another client: answered like an unknown code.
     *
     * @param revoked the authorization was live and is now denied, since its device code leaked
     */
    record WrongClient(String authorizationId, boolean revoked) implements PollResult, Failure {
        @Override
        public ErrorObject error() {
            return UnknownCode.ERROR;
        }
    }

    /** {@code invalid_grant}: the host's account check refused the approving account; the code is spent. */
    record AccountRefused(String authorizationId) implements PollResult, Failure {
        static final ErrorObject ERROR = OAuth2Error.INVALID_GRANT
                .setDescription("The account that approved this device can no longer authorize it");

        @Override
        public ErrorObject error() {
            return ERROR;
        }
    }

    /**
     * {@code server_error}: the account check or the token issuer failed after the code was consumed.
     *
     * @param restored the authorization is approved again, so the device's next poll may redeem it
     */
    record IssuanceFailed(String authorizationId, boolean restored) implements PollResult, Failure {
        @Override
        public ErrorObject error() {
            return Rejected.SERVER_ERROR.error();
        }
    }

    /**
     * RFC 8628 §3.5 and RFC 6749 §5.1: tokens for the authorization this poll consumed.
     *
     * @param tokenType the issuer's token type in Nimbus's spelling: {@code Bearer} or {@code DPoP}
     */
    record Issued(String authorizationId, IssuedTokens tokens, AccessTokenType tokenType) implements PollResult {

        /** The token types this server can send (RFC 6750, RFC 9449). */
        private static final List<AccessTokenType> SENDABLE = List.of(AccessTokenType.BEARER, AccessTokenType.DPOP);

        public Issued {
            Objects.requireNonNull(authorizationId, "authorizationId");
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(tokenType, "tokenType");
        }

        /**
         * Tokens of the type the issuer says.
         *
         * @throws IllegalArgumentException the token type is neither {@code Bearer} nor {@code DPoP}
         */
        Issued(String authorizationId, IssuedTokens tokens) {
            this(authorizationId, tokens, sendableType(tokens.tokenType()));
        }

        private static AccessTokenType sendableType(String tokenType) {
            // RFC 6749 §5.1: the token_type value is case insensitive
            for (AccessTokenType type : SENDABLE) {
                if (type.getValue().equalsIgnoreCase(tokenType)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("the token issuer returned token type " + tokenType
                    + "; only Bearer and DPoP can be sent");
        }
    }
}
