package org.devicegrant;


import java.util.Map;

/**
 * What is known of the requesting device, stored with its authorization and shown on the consent
 * screen so that a user can notice software impersonating their device (RFC 8628 §5.4). The
 * keys of {@link LookupResult.Pending#deviceMetadata()}. Pages must HTML-escape every value: the
 * device chose them.
 */
public final class DeviceMetadata {

    /** What the device says of itself: the optional {@code device_metadata} request parameter. */
    public static final String DESCRIPTION = "description";
    /** The address the request came from, as the host's adapter determined it. */
    public static final String IP_ADDRESS = "ip";
    /** The request's {@code User-Agent}. */
    public static final String USER_AGENT = "user_agent";

    /** At most this many characters of {@code device_metadata}; longer is {@code invalid_request}. */
    public static final int MAX_DESCRIPTION_LENGTH = 256;
    /** At most this many characters of the User-Agent are kept. */
    public static final int MAX_USER_AGENT_LENGTH = 256;

    private DeviceMetadata() {
    }
}
