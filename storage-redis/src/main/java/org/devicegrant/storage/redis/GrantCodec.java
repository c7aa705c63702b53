package org.devicegrant.storage.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeParseException;
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

    private static final String WHAT = "grant";

    private GrantCodec() {
    }

    static String write(Grant g) {
        ObjectNode node = RecordCodec.versionedObject(FORMAT_VERSION);
        node.put("id", g.id());
        node.put("tenant", g.tenant());
        node.put("authorizationId", g.authorizationId());
        node.put("clientId", g.clientId());
        node.put("subject", g.subject());
        RecordCodec.strings(node.putArray("scopes"), g.scopes());
        node.put("claims", g.claims());
        node.put("authTime", RecordCodec.instant(g.authTime()));
        RecordCodec.strings(node.putObject("deviceMetadata"), g.deviceMetadata());
        node.put("createdAt", RecordCodec.instant(g.createdAt()));
        node.put("lastUsedAt", RecordCodec.instant(g.lastUsedAt()));
        node.put("expiresAt", RecordCodec.instant(g.expiresAt()));
        node.put("status", g.status().name());
        node.put("revokedAt", RecordCodec.instant(g.revokedAt()));
        node.put("refreshTokenHash", g.refreshTokenHash());
        node.put("dpopJkt", g.dpopJkt());
        node.put("version", g.version());
        return RecordCodec.json(node, WHAT);
    }

    /**
     * Reads a stored grant.
     *
     * @throws StoreUnavailableException the value is not a grant this release can read; the
     *                                   message names the problem, never a value
     */
    static Grant read(String json) {
        JsonNode node = RecordCodec.versionedObject(json, FORMAT_VERSION, WHAT);
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
            throw RecordCodec.unreadable(WHAT, "a field is missing or invalid", e);
        }
    }
}
