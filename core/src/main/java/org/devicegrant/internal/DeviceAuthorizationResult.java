package org.devicegrant.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;

import java.time.Duration;
import java.util.Objects;

/** What one request to the device authorization endpoint decided (RFC 8628 §3.1–3.2). */
sealed interface DeviceAuthorizationResult extends EndpointResult
        permits DeviceAuthorizationResult.Issued, DeviceAuthorizationResult.TooManyPending, Rejected {

    /**
     * RFC 8628 §3.2: codes were issued and their hashes stored. {@code toString} shows neither code.
     *
     * @param authorizationId         the stored authorization's id; not a secret
     * @param deviceCode              the raw device code, for the device only
     * @param userCode                the user code in display form
     * @param verificationUri         where the user goes
     * @param verificationUriComplete the same with the user code in it
     * @param expiresIn               how long both codes live
     * @param interval                the polling interval
     * @param qrCode                  whether to send {@code verification_uri_complete} as a QR code too
     */
    record Issued(String authorizationId, String deviceCode, String userCode, String verificationUri,
            String verificationUriComplete, Duration expiresIn, Duration interval, boolean qrCode)
            implements DeviceAuthorizationResult {

        public Issued {
            Objects.requireNonNull(authorizationId, "authorizationId");
            Objects.requireNonNull(deviceCode, "deviceCode");
            Objects.requireNonNull(userCode, "userCode");
            Objects.requireNonNull(verificationUri, "verificationUri");
            Objects.requireNonNull(verificationUriComplete, "verificationUriComplete");
            Objects.requireNonNull(expiresIn, "expiresIn");
            Objects.requireNonNull(interval, "interval");
        }

        @Override
        public String toString() {
            return "Issued[authorizationId=" + authorizationId + ", expiresIn=" + expiresIn + ", interval=" + interval
                    + "]";
        }
    }

    /**
     * A cap on pending authorizations is reached. RFC 6749 §5.2 has no error code for overload, so the
     * client is told {@code slow_down}, RFC 8628's code for "too fast", with HTTP 429 (RFC 6585 §4):
     * come back later.
     */
    enum TooManyPending implements DeviceAuthorizationResult, Failure {
        /** The client's own cap. */
        CLIENT("for this client"),
        /** The tenant's cap, over every client. */
        TENANT("on this server");

        private final ErrorObject error;

        TooManyPending(String where) {
            this.error = DeviceAuthorizationGrantError.SLOW_DOWN.setHTTPStatusCode(429)
                    .setDescription("Too many device authorizations are pending " + where + "; try again later");
        }

        @Override
        public ErrorObject error() {
            return error;
        }
    }
}
