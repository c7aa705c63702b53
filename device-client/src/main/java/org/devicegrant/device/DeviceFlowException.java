package org.devicegrant.device;

/**
 * A device flow could not go on for a reason other than the user's decision: the network failed
 * while starting, an endpoint answered something that is not a valid OAuth response, or the
 * device authorization endpoint refused with an OAuth error (RFC 8628 §3.2, RFC 6749 §5.2), whose
 * {@link #error()} and {@link #errorDescription()} this carries.
 *
 * <p>The message never contains a code, a secret or a token.
 */
public class DeviceFlowException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The OAuth error code, or {@code null} when the failure was not an OAuth error. */
    private final String error;
    /** The server's {@code error_description}, or {@code null}. */
    private final String errorDescription;

    /**
     * A failure that is not an OAuth error and has no underlying exception.
     *
     * @param message what failed, without secrets
     */
    public DeviceFlowException(String message) {
        this(message, (Throwable) null);
    }

    /**
     * A failure that is not an OAuth error.
     *
     * @param message what failed, without secrets
     * @param cause   the underlying failure, or {@code null}
     */
    public DeviceFlowException(String message, Throwable cause) {
        super(message, cause);
        this.error = null;
        this.errorDescription = null;
    }

    /**
     * An OAuth error answered by an endpoint.
     *
     * @param message          what failed, without secrets
     * @param error            the OAuth {@code error} code
     * @param errorDescription the {@code error_description}, or {@code null}
     */
    public DeviceFlowException(String message, String error, String errorDescription) {
        super(message);
        this.error = error;
        this.errorDescription = errorDescription;
    }

    /** The OAuth {@code error} code (e.g. {@code invalid_client}), or {@code null} if none. */
    public String error() {
        return error;
    }

    /** The server's {@code error_description}, or {@code null} if none. */
    public String errorDescription() {
        return errorDescription;
    }
}
