package org.devicegrant.storage.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.AuthorizationStatus;
import org.devicegrant.storage.StoreUnavailableException;

/**
 * The JSON form of a {@link DeviceAuthorization} in Redis, format version 1.
 *
 * <p>A JSON object with {@code "v": 1} and one member per record field, named as the field.
 * Instants are ISO-8601 strings ({@link Instant#toString()}, exact to the nanosecond), the
 * interval is {@code "intervalMillis"} (whole milliseconds), absent optional values are
 * {@code null}, sets are sorted arrays and the metadata a sorted object. Readers ignore members
 * they do not know, so a later release may add fields without a new version; a change of meaning
 * needs {@code "v": 2} and a reader for both.
 *
 * <p>Thread-safe.
 */
final class RecordCodec {

    static final int FORMAT_VERSION = 1;

    private static final String WHAT = "device authorization";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordCodec() {
    }

    static String write(DeviceAuthorization a) {
        ObjectNode node = versionedObject(FORMAT_VERSION);
        node.put("id", a.id());
        node.put("tenant", a.tenant());
        node.put("deviceCodeHash", a.deviceCodeHash());
        node.put("userCodeHash", a.userCodeHash());
        node.put("clientId", a.clientId());
        strings(node.putArray("requestedScopes"), a.requestedScopes());
        strings(node.putObject("deviceMetadata"), a.deviceMetadata());
        node.put("status", a.status().name());
        node.put("subject", a.subject());
        strings(node.putArray("grantedScopes"), a.grantedScopes());
        node.put("claims", a.claims());
        node.put("authTime", instant(a.authTime()));
        node.put("createdAt", instant(a.createdAt()));
        node.put("expiresAt", instant(a.expiresAt()));
        node.put("intervalMillis", a.interval().toMillis());
        node.put("lastPolledAt", instant(a.lastPolledAt()));
        node.put("version", a.version());
        return json(node, WHAT);
    }

    /**
     * Reads a stored record.
     *
     * @throws StoreUnavailableException the value is not a record this release can read; the
     *                                   message names the problem, never a value
     */
    static DeviceAuthorization read(String json) {
        JsonNode node = versionedObject(json, FORMAT_VERSION, WHAT);
        try {
            return DeviceAuthorization.builder()
                    .id(text(node, "id"))
                    .tenant(text(node, "tenant"))
                    .deviceCodeHash(text(node, "deviceCodeHash"))
                    .userCodeHash(text(node, "userCodeHash"))
                    .clientId(text(node, "clientId"))
                    .requestedScopes(stringSet(node, "requestedScopes"))
                    .deviceMetadata(stringMap(node, "deviceMetadata"))
                    .status(AuthorizationStatus.valueOf(text(node, "status")))
                    .subject(text(node, "subject"))
                    .grantedScopes(stringSet(node, "grantedScopes"))
                    .claims(text(node, "claims"))
                    .authTime(instant(node, "authTime"))
                    .createdAt(instant(node, "createdAt"))
                    .expiresAt(instant(node, "expiresAt"))
                    .interval(Duration.ofMillis(node.path("intervalMillis").asLong()))
                    .lastPolledAt(instant(node, "lastPolledAt"))
                    .version(node.path("version").asLong(-1))
                    .build();
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw unreadable(WHAT, "a field is missing or invalid", e);
        }
    }

    /** A new JSON object carrying the format version {@code "v"}. */
    static ObjectNode versionedObject(int formatVersion) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", formatVersion);
        return node;
    }

    /** {@code node} as JSON text. */
    static String json(ObjectNode node, String what) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " could not be written as JSON", e);
        }
    }

    /**
     * The JSON object a stored {@code what} was written as, once its format version is checked.
     *
     * @throws StoreUnavailableException not JSON, not an object, or another format version
     */
    static JsonNode versionedObject(String json, int formatVersion, String what) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw unreadable(what, "it is not JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw unreadable(what, "it is not a JSON object", null);
        }
        int version = node.path("v").asInt(-1);
        if (version != formatVersion) {
            throw unreadable(what, "its format version " + version + " is not supported (this release reads "
                    + formatVersion + ")", null);
        }
        return node;
    }

    /** A stored {@code what} that cannot be read; only its shape is named, never a value. */
    static StoreUnavailableException unreadable(String what, String why, Throwable cause) {
        // a cause message could quote a value, so only the cause's type is kept
        return new StoreUnavailableException("stored " + what + " is unreadable: " + why,
                cause == null ? null : new IllegalStateException(cause.getClass().getSimpleName()));
    }

    static void strings(ArrayNode array, Set<String> values) {
        new TreeSet<>(values).forEach(array::add);
    }

    /** {@code values} as members of {@code object}, in key order. */
    static void strings(ObjectNode object, Map<String, String> values) {
        new TreeMap<>(values).forEach(object::put);
    }

    static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        return text == null ? null : Instant.parse(text);
    }

    static Set<String> stringSet(JsonNode node, String field) {
        Set<String> values = new LinkedHashSet<>();
        JsonNode array = node.get(field);
        if (array != null && array.isArray()) {
            array.forEach(element -> values.add(element.asText()));
        }
        return values;
    }

    static Map<String, String> stringMap(JsonNode node, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode object = node.get(field);
        if (object != null && object.isObject()) {
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                values.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return values;
    }
}
