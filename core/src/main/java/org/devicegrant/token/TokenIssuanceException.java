package org.devicegrant.token;

/**
 * Tokens could not be issued: a key failed to sign, a claim could not be serialised. The grant answers {@code server_error}.
 *
 * <p>Messages name what failed, never a token, code or secret.
 */
public class TokenIssuanceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed; must not contain a token, code or secret
     */
    public TokenIssuanceException(String message) {
        super(message);
    }

    /**
     * @param message what failed; must not contain a token, code or secret
     * @param cause   the underlying failure
     */
    public TokenIssuanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
