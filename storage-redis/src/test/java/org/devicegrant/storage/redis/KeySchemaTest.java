package org.devicegrant.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeySchemaTest {

    private final KeySchema keys = new KeySchema("dg:");

    @ParameterizedTest
    @ValueSource(strings = {"tenant-a", "a}b", "{x}", "%7D", ""})
    void everyKeyOfATenantHashesToOneClusterSlot(String tenant) {
        List<String> all = List.of(
                keys.record(tenant, "id}1"),
                keys.deviceCodeIndex(tenant, "dch"),
                keys.userCodeIndex(tenant, "uch"),
                keys.pending(tenant),
                keys.pendingOfClient(tenant, "client{2}"),
                keys.expiry(tenant),
                keys.limiterFailures(tenant, "k"),
                keys.limiterState(tenant, "k"),
                keys.limiterGlobal(tenant),
                keys.limiterSequence(tenant),
                keys.grant(tenant, "g{1}"),
                keys.grantRefreshTokens(tenant, "g{1}"),
                keys.refreshTokenIndex(tenant, "rth"),
                keys.grantsOfSubject(tenant, "user}1"),
                keys.grantExpiry(tenant));

        int slot = SlotHash.getSlot(keys.tenantBase(tenant) + "a");
        assertThat(all).allSatisfy(key -> assertThat(SlotHash.getSlot(key)).as(key).isEqualTo(slot));
    }

    @Test
    void escapeKeepsTenantsThatDifferOnlyInBracesApart() {
        assertThat(keys.record("a}b", "c")).isNotEqualTo(keys.record("a", "b}c"));
        assertThat(keys.tenantBase("a%7Db")).isNotEqualTo(keys.tenantBase("a}b"));
        assertThat(keys.tenantBase("a}b")).isEqualTo("dg:{a%7Db}:");
    }

    @Test
    void expiryPatternNamesOnlyExpirySets() {
        assertThat(keys.expiryPattern()).isEqualTo("dg:{*}:x");
        assertThat(keys.expiry("t")).isEqualTo("dg:{t}:x");
        assertThat(keys.record("t", "x")).doesNotEndWith("}:x");
        assertThat(keys.pendingOfClient("t", "}:x")).doesNotEndWith("}:x");
    }

    @Test
    void grantExpiryPatternNamesOnlyGrantExpirySets() {
        assertThat(keys.grantExpiryPattern()).isEqualTo("dg:{*}:gx");
        assertThat(keys.grantExpiry("t")).isEqualTo("dg:{t}:gx");
        assertThat(keys.expiry("t")).doesNotEndWith("}:gx");
        assertThat(keys.grant("t", "}:gx")).doesNotEndWith("}:gx");
        assertThat(keys.grantsOfSubject("t", "}:gx")).doesNotEndWith("}:gx");
        assertThat(keys.grantExpiry("t")).doesNotEndWith("}:x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dg:", "app_1.dg-2:"})
    void validPrefixes(String prefix) {
        assertThat(KeySchema.isValidPrefix(prefix)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dg{x}:", "dg*:", "dg :", "a[b]"})
    void invalidPrefixes(String prefix) {
        assertThat(KeySchema.isValidPrefix(prefix)).isFalse();
    }
}
