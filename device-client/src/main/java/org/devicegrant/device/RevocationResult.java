package org.devicegrant.device;

import java.util.Objects;

/**
 * How a revocation request (RFC 7009 §2.1) ended, when the revocation endpoint answered.
 * Failures to reach it are a {@link DeviceFlowException}.
 */
public sealed interface RevocationResult {

    /**
     * HTTP 200: the token is revoked, or was unknown or already revoked (RFC 7009 §2.2); either
     * way the device can forget it.
     */
    record Revoked() implements RevocationResult {
    }

    /**
     * The endpoint answered an OAuth error (RFC 7009 §2.2.1), e.g. {@code unsupported_token_type}
     * or {@code invalid_client}; the token may still be valid.
     *
     * @param error       the OAuth {@code error} code
     * @param description the server's {@code error_description}, or {@code null}
     */
    record Failed(String error, String description) implements RevocationResult {

        /** {@code unsupported_token_type} (RFC 7009 §2.2.1): the server cannot revoke this kind of token. */
        public static final String UNSUPPORTED_TOKEN_TYPE = "unsupported_token_type";

        /** @throws NullPointerException if {@code error} is null */
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
