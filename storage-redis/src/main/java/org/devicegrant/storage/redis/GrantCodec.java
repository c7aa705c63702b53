package org.devicegrant.storage.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeParseException;
import java.util.TreeMap;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.StoreUnavailableException;

/**
 * The JSON form of a {@link Grant} in Redis, format version 1, written the way {@link RecordCodec}
 * writes a device authorization: {@code "v": 1}, one member per record field named as the field,
 * instants as ISO-8601 strings, absent values {@code null}, sets as sorted arrays, the metadata as
 * a sorted object. Readers ignore members they do not know; a change of meaning needs
 * {@code "v": 2} and a reader for both.
 *
 * <p>Thread-safe.
 */
final class GrantCodec {

    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private GrantCodec() {
    }

    static String write(Grant g) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", FORMAT_VERSION);
        node.put("id", g.id());
        node.put("tenant", g.tenant());
        node.put("authorizationId", g.authorizationId());
        node.put("clientId", g.clientId());
        node.put("subject", g.subject());
        RecordCodec.strings(node.putArray("scopes"), g.scopes());
        node.put("claims", g.claims());
        node.put("authTime", RecordCodec.instant(g.authTime()));
        ObjectNode metadata = node.putObject("deviceMetadata");
        new TreeMap<>(g.deviceMetadata()).forEach(metadata::put);
        node.put("createdAt", RecordCodec.instant(g.createdAt()));
        node.put("lastUsedAt", RecordCodec.instant(g.lastUsedAt()));
        node.put("expiresAt", RecordCodec.instant(g.expiresAt()));
        node.put("status", g.status().name());
        node.put("revokedAt", RecordCodec.instant(g.revokedAt()));
        node.put("refreshTokenHash", g.refreshTokenHash());
        node.put("dpopJkt", g.dpopJkt());
        node.put("version", g.version());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("grant could not be written as JSON", e);
        }
    }

    /**
     * Reads a stored grant.
     *
     * @throws StoreUnavailableException the value is not a grant this release can read; the
     *                                   message names the problem, never a value
     */
    static Grant read(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw unreadable("it is not JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw unreadable("it is not a JSON object", null);
        }
        int version = node.path("v").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw unreadable("its format version " + version + " is not supported (this release reads "
                    + FORMAT_VERSION + ")", null);
        }
        try {
            return Grant.builder()
                    .id(RecordCodec.text(node, "id"))
                    .tenant(RecordCodec.text(node, "tenant"))
                    .authorizationId(RecordCodec.text(node, "authorizationId"))
                    .clientId(RecordCodec.text(node, "clientId"))
                    .subject(RecordCodec.text(node, "subject"))
                    .scopes(RecordCodec.stringSet(node, "scopes"))
                    .claims(RecordCodec.text(node, "claims"))
                    .authTime(RecordCodec.instant(node, "authTime"))
                    .deviceMetadata(RecordCodec.stringMap(node, "deviceMetadata"))
                    .createdAt(RecordCodec.instant(node, "createdAt"))
                    .lastUsedAt(RecordCodec.instant(node, "lastUsedAt"))
                    .expiresAt(RecordCodec.instant(node, "expiresAt"))
                    .status(GrantStatus.valueOf(RecordCodec.text(node, "status")))
                    .revokedAt(RecordCodec.instant(node, "revokedAt"))
                    .refreshTokenHash(RecordCodec.text(node, "refreshTokenHash"))
                    .dpopJkt(RecordCodec.text(node, "dpopJkt"))
                    .version(node.path("version").asLong(-1))
                    .build();
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw unreadable("a field is missing or invalid", e);
        }
    }

    private static StoreUnavailableException unreadable(String why, Throwable cause) {
        // Only the shape is named: a cause message could quote a value, so it is dropped.
        return new StoreUnavailableException("stored grant is unreadable: " + why,
                cause == null ? null : new IllegalStateException(cause.getClass().getSimpleName()));
    }
}
