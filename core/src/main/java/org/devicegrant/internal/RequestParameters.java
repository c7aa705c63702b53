package org.devicegrant.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.devicegrant.http.DeviceGrantRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The body parameters of a device-grant POST, checked as RFC 6749 §3.2 asks: form-encoded UTF-8
 * (or, where the host allows it, a JSON object of strings), no parameter repeated, empty values
 * treated as omitted. Immutable.
 *
 * <p>A body has one reading only, so that a gateway in front cannot read it otherwise: one
 * {@code Content-Type}; UTF-8 and nothing else (a declared {@code charset} other than UTF-8 is
 * refused, not guessed at, and malformed UTF-8 is refused, never read as U+FFFD); one JSON object
 * followed by nothing but whitespace.
 */
public final class RequestParameters {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The camelCase spellings a JSON body may use, and the parameter each stands for. */
    private static final Map<String, String> SNAKE_CASE = Map.of(
            "grantType", "grant_type",
            "clientId", "client_id",
            "clientSecret", "client_secret",
            "clientAssertion", "client_assertion",
            "clientAssertionType", "client_assertion_type",
            "deviceCode", "device_code",
            "deviceMetadata", "device_metadata");

    private final Map<String, String> values;
    private final Map<String, List<String>> asLists;

    private RequestParameters(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        Map<String, List<String>> lists = new LinkedHashMap<>();
        values.forEach((k, v) -> lists.put(k, List.of(v)));
        this.asLists = Collections.unmodifiableMap(lists);
    }

    /**
     * Parses and checks a form-encoded request.
     *
     * @throws RequestRejected {@code invalid_request} for a wrong method, content type, size,
     *                         encoding or a repeated parameter
     */
    static RequestParameters of(DeviceGrantRequest request) throws RequestRejected {
        return of(request, false);
    }

    /**
     * Parses and checks the request: form-encoded always, a JSON object too when
     * {@code acceptJson}. JSON members may use the camelCase names ({@code clientId},
     * {@code grantType}, ...); they are held to the same rules as form parameters.
     *
     * @throws RequestRejected {@code invalid_request} for a wrong method, content type, size,
     *                         encoding or a repeated parameter
     */
    static RequestParameters of(DeviceGrantRequest request, boolean acceptJson) throws RequestRejected {
        // RFC 6749 §3.2: the client MUST use the HTTP "POST" method; RFC 8628 §3.1 likewise
        if (!"POST".equals(request.method())) {
            throw new RequestRejected(OAuth2Error.INVALID_REQUEST
                    .setDescription("Use the POST method")
                    .setHTTPStatusCode(405));
        }
        List<String> contentTypes = request.headers("Content-Type");
        if (contentTypes.size() > 1) {
            throw invalid("The request has more than one Content-Type");
        }
        String contentType = contentTypes.isEmpty() ? "" : contentTypes.get(0);
        String type = mediaType(contentType);
        boolean json = acceptJson && type.equals(JSON_TYPE);
        if (!type.equals(FORM) && !json) {
            throw invalid("The request body must be application/x-www-form-urlencoded"
                    + (acceptJson ? " or application/json" : ""));
        }
        // RFC 6749 Appendix B: form names and values are UTF-8 before they are percent-encoded;
        // RFC 8259 §8.1: JSON text exchanged between systems MUST be encoded using UTF-8
        if (!declaresUtf8OrNothing(contentType)) {
            throw invalid("The request body must be UTF-8; declare charset=UTF-8 or no charset");
        }
        if (request.body().length > DeviceGrantRequest.MAX_BODY_BYTES) {
            throw invalid("The request body is larger than " + DeviceGrantRequest.MAX_BODY_BYTES + " bytes");
        }
        return new RequestParameters(json ? parseJson(request.body()) : parseForm(utf8(request.body())));
    }

    /** These parameters with {@code name} set to {@code value}. */
    RequestParameters with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new RequestParameters(copy);
    }

    /** A single-valued parameter; empty when absent or empty (RFC 6749 §3.2). */
    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** All parameters, each with its one value, for client authentication. */
    Map<String, List<String>> asMap() {
        return asLists;
    }

    private static Map<String, String> parseForm(String body) throws RequestRejected {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        if (body.isEmpty()) {
            return values;
        }
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            add(values, seen, name, value);
        }
        return values;
    }

    private static Map<String, String> parseJson(byte[] body) throws RequestRejected {
        JsonNode root;
        try (JsonParser parser = JSON.createParser(body)) {
            root = JSON.readTree(parser);
            if (root != null && !endsAfter(parser)) {
                // a second value, which a gateway in front might read instead of the first
                throw invalid("The request body has content after the JSON object");
            }
        } catch (IOException e) {
            throw invalid("The request body is not a JSON object of UTF-8 text, or repeats a member");
        }
        if (root == null || !root.isObject()) {
            throw invalid("The request body is not a JSON object, or repeats a member");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = SNAKE_CASE.getOrDefault(field.getKey(), field.getKey());
            JsonNode value = field.getValue();
            if (!value.isTextual() && !value.isNull()) {
                throw invalid("The member " + printable(field.getKey()) + " must be a string");
            }
            add(values, seen, name, value.isNull() ? "" : value.textValue());
        }
        return values;
    }

    /** Whether only whitespace (RFC 8259 §2) follows what {@code parser} has read. */
    private static boolean endsAfter(JsonParser parser) {
        try {
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void add(Map<String, String> values, Set<String> seen, String name, String value)
            throws RequestRejected {
        // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once."
        if (!seen.add(name)) {
            throw invalid("The parameter " + printable(name) + " is repeated");
        }
        // RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they were omitted"
        if (!value.isEmpty()) {
            values.put(name, value);
        }
    }

    /**
     * One name or value of a form: {@code +} is a space, {@code %XX} an octet, and the octets are
     * UTF-8 (RFC 6749 Appendix B).
     */
    private static String decode(String part) throws RequestRejected {
        if (part.indexOf('%') < 0 && part.indexOf('+') < 0) {
            return part;
        }
        ByteArrayOutputStream octets = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '+') {
                octets.write(' ');
            } else if (c == '%') {
                int high = i + 2 < part.length() ? hexDigit(part.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hexDigit(part.charAt(i + 2));
                if (low < 0) {
                    throw invalid("The request body is not valid form encoding");
                }
                octets.write(high << 4 | low);
                i += 2;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < part.length() ? i + 2 : i + 1;
                octets.writeBytes(part.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return utf8(octets.toByteArray());
    }

    /** The value of an ASCII hex digit, or -1 (also for the other scripts' digits Character.digit accepts). */
    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    /** {@code octets} as UTF-8, refused when they are not: never a replacement character. */
    private static String utf8(byte[] octets) throws RequestRejected {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("The request body is not valid UTF-8");
        }
    }

    /**
     * Whether a Content-Type declares no charset, or declares UTF-8 once (names and values
     * case-insensitive, the value possibly quoted, RFC 9110 §8.3.1).
     */
    private static boolean declaresUtf8OrNothing(String contentType) {
        List<String> charsets = new ArrayList<>();
        String[] parts = contentType.split(";", -1);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq >= 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String value = parts[i].substring(eq + 1).trim();
                boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
                charsets.add(quoted ? value.substring(1, value.length() - 1) : value);
            }
        }
        return charsets.isEmpty() || charsets.size() == 1 && charsets.get(0).equalsIgnoreCase("UTF-8");
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    /** A parameter name made safe for error_description (RFC 6749 §5.2 character set). */
    static String printable(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), 40));
        for (int i = 0; i < name.length() && sb.length() < 40; i++) {
            char c = name.charAt(i);
            sb.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '?');
        }
        return sb.toString();
    }

    static RequestRejected invalid(String description) {
        return new RequestRejected(OAuth2Error.INVALID_REQUEST.setDescription(description));
    }
}
