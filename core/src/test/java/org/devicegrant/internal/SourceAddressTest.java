package org.devicegrant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "203.0.113.7|203.0.113.7",
            "2001:db8:1:2:aaaa:bbbb:cccc:dddd|2001:db8:1:2::/64",
            "2001:db8:1:2::1|2001:db8:1:2::/64",
            "[2001:db8:1:2::1]|2001:db8:1:2::/64",
            "fe80::1%eth0|fe80:0:0:0::/64",
            "::1|0:0:0:0::/64",
            "' '|unknown",
    })
    void keyWhenLiteralThenAddressOrIpv6Prefix(String address, String key) {
        assertThat(SourceAddress.key(address)).isEqualTo(key);
    }

    @org.junit.jupiter.api.Test
    void keyWhenTwoAddressesInOneSlash64ThenSameKeyAndOtherPrefixDiffers() {
        assertThat(SourceAddress.key("2001:db8:0:1::a")).isEqualTo(SourceAddress.key("2001:db8:0:1:ffff::b"));
        assertThat(SourceAddress.key("2001:db8:0:1::a")).isNotEqualTo(SourceAddress.key("2001:db8:0:2::a"));
    }

    @org.junit.jupiter.api.Test
    void keyWhenNullThenUnknown() {
        assertThat(SourceAddress.key(null)).isEqualTo(SourceAddress.UNKNOWN);
    }

    @org.junit.jupiter.api.Test
    void keyWhenNotALiteralThenBoundedValueWithoutLookup() {
        assertThat(SourceAddress.key("localhost")).isEqualTo("localhost");
        assertThat(SourceAddress.key("x".repeat(500))).hasSize(64);
        assertThat(SourceAddress.key("1.2.3")).isEqualTo("1.2.3");
    }
}
