package org.devicegrant;

import org.devicegrant.http.DeviceGrantRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is known of the requesting device, stored with its authorization and shown on the consent
 * screen so that a user can notice software impersonating their device (RFC 8628 §5.4, D37). The
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
    static final int MAX_USER_AGENT_LENGTH = 256;

    private DeviceMetadata() {
    }

    /**
     * The metadata of one device authorization request.
     *
     * @throws RequestRejected {@code invalid_request} for a {@code device_metadata} that is too long
     *                         or holds control characters
     */
    static Map<String, String> of(RequestParameters params, DeviceGrantRequest request) throws RequestRejected {
        Map<String, String> metadata = new LinkedHashMap<>();
        String description = params.get("device_metadata").orElse(null);
        if (description != null) {
            if (description.length() > MAX_DESCRIPTION_LENGTH || hasControlCharacter(description)) {
                throw RequestParameters.invalid("device_metadata must be at most " + MAX_DESCRIPTION_LENGTH
                        + " characters of text");
            }
            metadata.put(DESCRIPTION, description);
        }
        if (request.remoteAddress() != null && !request.remoteAddress().isEmpty()) {
            metadata.put(IP_ADDRESS, clean(request.remoteAddress(), 64));
        }
        request.header("User-Agent").filter(ua -> !ua.isBlank())
                .ifPresent(ua -> metadata.put(USER_AGENT, clean(ua, MAX_USER_AGENT_LENGTH)));
        return metadata;
    }

    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    /** Control characters dropped, cut to {@code max} characters. */
    private static String clean(String value, int max) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && sb.length() < max; i++) {
            char c = value.charAt(i);
            if (!Character.isISOControl(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
