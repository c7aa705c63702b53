package org.devicegrant.internal;

import org.devicegrant.DeviceMetadata;
import org.devicegrant.http.DeviceGrantRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads what is known of a device from its device authorization request. */
final class DeviceMetadataReader {

    private DeviceMetadataReader() {
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
            if (description.length() > DeviceMetadata.MAX_DESCRIPTION_LENGTH || hasControlCharacter(description)) {
                throw RequestParameters.invalid("device_metadata must be at most " + DeviceMetadata.MAX_DESCRIPTION_LENGTH
                        + " characters of text");
            }
            metadata.put(DeviceMetadata.DESCRIPTION, description);
        }
        if (request.remoteAddress() != null && !request.remoteAddress().isEmpty()) {
            metadata.put(DeviceMetadata.IP_ADDRESS, clean(request.remoteAddress(), 64));
        }
        request.header("User-Agent").filter(ua -> !ua.isBlank())
                .ifPresent(ua -> metadata.put(DeviceMetadata.USER_AGENT, clean(ua, DeviceMetadata.MAX_USER_AGENT_LENGTH)));
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
