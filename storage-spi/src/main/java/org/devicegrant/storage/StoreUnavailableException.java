package org.devicegrant.storage;

/**
 * The store could not answer: a connection failed, a statement timed out, the server
 * is down. Thrown by every store method for infrastructure faults, never for "not
 * found" or a lost compare-and-set.
 *
 * <p>A store that throws this must not have changed anything it cannot roll back: the
 * caller treats the operation as not having happened and answers {@code server_error}.
 * The message must not contain a raw code or token (stores never see those anyway).
 */
public class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
