package org.devicegrant.internal;

/**
 * Writes the two flat JSON objects of the hot paths, the device authorization response and the
 * token endpoint's errors, without building a JSON tree: they are written on every request and
 * every poll, and a tree plus json-smart's escaper cost more than the rest of the request. Their
 * shape is fixed by RFC 8628 §3.2 and RFC 6749 §5.2; {@code JsonTest} checks that Nimbus parses
 * what this writes back into the same values. Token responses, which are dominated by signing,
 * still go through Nimbus.
 */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /**
     * A JSON object of the given name-value pairs, in order. Values are strings or numbers; a null
     * value leaves its member out.
     */
    static String object(Object... namesAndValues) {
        StringBuilder sb = new StringBuilder(320).append('{');
        boolean first = true;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value == null) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, (String) namesAndValues[i]);
            sb.append(':');
            if (value instanceof Number) {
                sb.append(value);
            } else {
                string(sb, value.toString());
            }
        }
        return sb.append('}').toString();
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        int clean = 0;
        while (clean < s.length() && !needsEscape(s.charAt(clean))) {
            clean++;
        }
        sb.append(s, 0, clean); // codes, URIs and descriptions: nothing to escape, one bulk copy
        for (int i = clean; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\';
    }
}
