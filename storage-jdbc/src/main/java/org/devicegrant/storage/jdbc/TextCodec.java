package org.devicegrant.storage.jdbc;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The text form of scope sets and device metadata in their columns.
 *
 * <p>A set is its elements in ascending order, each followed by one space. A map is its
 * entries in ascending key order, each written {@code key=value} and followed by one space.
 * Inside elements, keys and values, {@code %}, space, {@code =} and the control characters
 * (U+0000–U+001F, U+007F) are written {@code %XX} (two upper-case hex digits of the char);
 * everything else is written as is. An empty set or map is the empty string. The form is
 * unambiguous for every string, including empty ones, and stable, so equal values give
 * equal text. Stateless and thread-safe.
 */
final class TextCodec {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private TextCodec() {
    }

    static String encodeSet(Set<String> values) {
        StringBuilder text = new StringBuilder();
        for (String value : new TreeSet<>(values)) {
            escape(value, text);
            text.append(' ');
        }
        return text.toString();
    }

    /** @throws IllegalArgumentException {@code text} is not in the documented form */
    static Set<String> decodeSet(String text) {
        Set<String> values = new LinkedHashSet<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                values.add(unescape(text, start, i));
                start = i + 1;
            }
        }
        if (start != text.length()) {
            throw new IllegalArgumentException("set text does not end with a separator");
        }
        return values;
    }

    static String encodeMap(Map<String, String> entries) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            escape(entry.getKey(), text);
            text.append('=');
            escape(entry.getValue(), text);
            text.append(' ');
        }
        return text.toString();
    }

    /** @throws IllegalArgumentException {@code text} is not in the documented form */
    static Map<String, String> decodeMap(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        int start = 0;
        int equals = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=' && equals < 0) {
                equals = i;
            } else if (c == ' ') {
                if (equals < 0) {
                    throw new IllegalArgumentException("map entry without '='");
                }
                String key = unescape(text, start, equals);
                if (entries.put(key, unescape(text, equals + 1, i)) != null) {
                    throw new IllegalArgumentException("map text repeats a key");
                }
                start = i + 1;
                equals = -1;
            } else if (c == '=') {
                throw new IllegalArgumentException("map entry with a second '='");
            }
        }
        if (start != text.length()) {
            throw new IllegalArgumentException("map text does not end with a separator");
        }
        return entries;
    }

    private static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' || c == ' ' || c == '=' || c < 0x20 || c == 0x7f) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
    }

    private static String unescape(String text, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= to) {
                throw new IllegalArgumentException("truncated %-escape");
            }
            out.append((char) (hexDigit(text.charAt(i + 1)) << 4 | hexDigit(text.charAt(i + 2))));
            i += 2;
        }
        return out.toString();
    }

    private static int hexDigit(char c) {
        int digit = Character.digit(c, 16);
        if (digit < 0) {
            throw new IllegalArgumentException("malformed %-escape");
        }
        return digit;
    }
}
