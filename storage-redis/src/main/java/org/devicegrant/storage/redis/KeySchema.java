package org.devicegrant.storage.redis;

import java.util.Objects;

/**
 * Names of the Redis keys of one deployment, all under one prefix.
 *
 * <p>Every key of a tenant carries the hash tag {@code {tenant}}, so that the Lua scripts, which
 * touch a record, its indexes and the tenant's sorted sets in one step, only ever touch one Redis
 * Cluster slot. The price: one tenant lives on one shard. Components are escaped so that no
 * tenant, id, client id or hash can end a hash tag early or make two different keys collide:
 * {@code %}, {@code {} and {@code }} become {@code %25}, {@code %7B} and {@code %7D}.
 * Key prefixes are restricted to characters that are neither braces nor SCAN glob syntax.
 *
 * <pre>
 * P{t}:a:&lt;id&gt;       hash  the record: j (JSON), v, s, x (expiresAt ms), t (createdAt ms), d, u, c
 * P{t}:dc:&lt;hash&gt;    string  device-code hash  → id
 * P{t}:uc:&lt;hash&gt;    string  user-code hash    → id of its latest holder
 * P{t}:p            zset  pending ids by expiresAt
 * P{t}:pc:&lt;client&gt;  zset  pending ids of one client by expiresAt
 * P{t}:x            zset  every id by expiresAt, for deleteExpired
 * P{t}:l:k:&lt;key&gt;   zset  attempt-limiter failures of one attempt key (SHA-256 of it)
 * P{t}:l:s:&lt;key&gt;   hash  its lockout state
 * P{t}:l:g          zset  the tenant's global failure budget
 * P{t}:l:q          string  sequence for unique failure entries
 * P{t}:g:&lt;id&gt;       hash  a grant: j (JSON), v, s, c, u (subject), e (escaped subject), r (current
 *                         refresh-token hash or empty)
 * P{t}:gr:&lt;hash&gt;    string  refresh-token hash → grant id, for every hash the grant ever held
 * P{t}:gh:&lt;id&gt;      set   every refresh-token hash the grant ever held
 * P{t}:gs:&lt;subject&gt; zset  active grant ids of one subject by lastUsedAt
 * P{t}:gx           zset  every grant id by the instant it may be purged, for deleteExpired
 * </pre>
 *
 * Immutable and thread-safe.
 */
final class KeySchema {

    private final String prefix;

    KeySchema(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    String prefix() {
        return prefix;
    }

    /** Escapes one key component; the inverse is never needed. */
    static String escape(String component) {
        StringBuilder escaped = new StringBuilder(component.length() + 8);
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            switch (c) {
                case '%' -> escaped.append("%25");
                case '{' -> escaped.append("%7B");
                case '}' -> escaped.append("%7D");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /**
     * {@code P{tenant}:}, the start of every key of the tenant. The empty tenant becomes
     * {@code {%}}, since Redis ignores an empty hash tag; no escaped tenant is a lone {@code %}.
     */
    String tenantBase(String tenant) {
        return prefix + "{" + (tenant.isEmpty() ? "%" : escape(tenant)) + "}:";
    }

    String recordPrefix(String tenant) {
        return tenantBase(tenant) + "a:";
    }

    String record(String tenant, String id) {
        return recordPrefix(tenant) + escape(id);
    }

    String deviceCodePrefix(String tenant) {
        return tenantBase(tenant) + "dc:";
    }

    String deviceCodeIndex(String tenant, String deviceCodeHash) {
        return deviceCodePrefix(tenant) + escape(deviceCodeHash);
    }

    String userCodePrefix(String tenant) {
        return tenantBase(tenant) + "uc:";
    }

    String userCodeIndex(String tenant, String userCodeHash) {
        return userCodePrefix(tenant) + escape(userCodeHash);
    }

    String pending(String tenant) {
        return tenantBase(tenant) + "p";
    }

    String pendingClientPrefix(String tenant) {
        return tenantBase(tenant) + "pc:";
    }

    String pendingOfClient(String tenant, String clientId) {
        return pendingClientPrefix(tenant) + escape(clientId);
    }

    String expiry(String tenant) {
        return tenantBase(tenant) + "x";
    }

    /** The SCAN pattern that matches the {@link #expiry} key of every tenant and nothing else. */
    String expiryPattern() {
        return prefix + "{*}:x";
    }

    String limiterFailures(String tenant, String attemptKeyDigest) {
        return tenantBase(tenant) + "l:k:" + attemptKeyDigest;
    }

    String limiterState(String tenant, String attemptKeyDigest) {
        return tenantBase(tenant) + "l:s:" + attemptKeyDigest;
    }

    String limiterGlobal(String tenant) {
        return tenantBase(tenant) + "l:g";
    }

    String limiterSequence(String tenant) {
        return tenantBase(tenant) + "l:q";
    }

    String grantPrefix(String tenant) {
        return tenantBase(tenant) + "g:";
    }

    String grant(String tenant, String id) {
        return grantPrefix(tenant) + escape(id);
    }

    String grantRefreshTokens(String tenant, String id) {
        return tenantBase(tenant) + "gh:" + escape(id);
    }

    String refreshTokenIndex(String tenant, String refreshTokenHash) {
        return tenantBase(tenant) + "gr:" + escape(refreshTokenHash);
    }

    String grantsOfSubject(String tenant, String subject) {
        return tenantBase(tenant) + "gs:" + escape(subject);
    }

    String grantExpiry(String tenant) {
        return tenantBase(tenant) + "gx";
    }

    /** The SCAN pattern that matches the {@link #grantExpiry} key of every tenant and nothing else. */
    String grantExpiryPattern() {
        return prefix + "{*}:gx";
    }

    /** True when {@code prefix} can be used: 0 to 64 of {@code A-Z a-z 0-9 : _ . -}. */
    static boolean isValidPrefix(String prefix) {
        if (prefix.length() > 64) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '_' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
