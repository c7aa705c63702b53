package org.devicegrant.examples;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an {@code application/x-www-form-urlencoded} body or a query string.
 * Immutable and thread-safe. {@code toString} never shows the values, which may carry a
 * password or a user code.
 */
final class FormData {

    private final Map<String, List<String>> values;

    private FormData(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Parses {@code encoded}; null gives no parameters.
     *
     * @throws IllegalArgumentException a malformed {@code %} escape
     */
    static FormData parse(String encoded) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        values.replaceAll((k, v) -> List.copyOf(v));
        return new FormData(Map.copyOf(values));
    }

    /** The value of a parameter sent exactly once, or empty when absent or repeated. */
    Optional<String> single(String name) {
        List<String> all = values.getOrDefault(name, List.of());
        return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
    }

    /** Every value of a parameter, in order; empty when absent. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    @Override
    public String toString() {
        return "FormData" + values.keySet();
    }
}
