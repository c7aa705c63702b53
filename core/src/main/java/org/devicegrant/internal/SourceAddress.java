package org.devicegrant.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The key under which per-source budgets count a request's remote address.
 *
 * <p>An IPv4 address is its own key. An IPv6 address counts as its /64 prefix: a single
 * subscriber is routinely handed a whole /64 (RFC 6177 §2 recommends at least a /56 per site),
 * so counting full addresses would give one host 2^64 fresh budgets. Requests whose address the
 * host did not determine share one key, and so do values that are not IP literals (bounded in
 * length, never resolved through DNS).
 */
public final class SourceAddress {

    /** The key of requests whose remote address is unknown. */
    public static final String UNKNOWN = "unknown";

    private static final int MAX_OPAQUE_LENGTH = 64;

    private SourceAddress() {
    }

    /**
     * Returns the budget key of a remote address.
     *
     * @param remoteAddress the address as the host determined it (an IPv4 or IPv6 literal, IPv6
     *                      optionally in brackets or with a zone id), or null when unknown
     * @return the address for IPv4, {@code <first 64 bits>::/64} for IPv6, {@link #UNKNOWN} for
     *         null or blank, and the value itself (truncated) for anything that is not a literal
     */
    public static String key(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()) {
            return UNKNOWN;
        }
        String value = remoteAddress.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        int zone = value.indexOf('%');
        if (zone >= 0) {
            value = value.substring(0, zone);
        }
        if (!isLiteral(value)) {
            return opaque(value);
        }
        InetAddress address;
        try {
            // Only literals reach here: getByName parses them without a DNS lookup.
            address = InetAddress.getByName(value);
        } catch (UnknownHostException | RuntimeException e) {
            return opaque(value);
        }
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            StringBuilder prefix = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    private static boolean isLiteral(String value) {
        if (value.isEmpty() || value.length() > 45) {
            return false;
        }
        boolean colon = value.indexOf(':') >= 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = c == '.' || c == ':' || (c >= '0' && c <= '9')
                    || (colon && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!allowed) {
                return false;
            }
        }
        return colon || value.chars().filter(c -> c == '.').count() == 3;
    }

    private static String opaque(String value) {
        return value.length() <= MAX_OPAQUE_LENGTH ? value : value.substring(0, MAX_OPAQUE_LENGTH);
    }
}
