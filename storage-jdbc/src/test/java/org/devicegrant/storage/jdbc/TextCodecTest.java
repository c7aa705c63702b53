package org.devicegrant.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextCodecTest {

    @Test
    void encodeSetWritesSortedElementsEachFollowedByASpace() {
        assertThat(TextCodec.encodeSet(Set.of("profile", "openid"))).isEqualTo("openid profile ");
        assertThat(TextCodec.encodeSet(Set.of())).isEmpty();
    }

    @Test
    void encodeWhenSeparatorsOrControlCharactersThenPercentEscaped() {
        assertThat(TextCodec.encodeSet(Set.of("a b%c=d\u0000\n"))).isEqualTo("a%20b%25c%3Dd%00%0A ");
        assertThat(TextCodec.encodeMap(Map.of("k=1", "v 2"))).isEqualTo("k%3D1=v%202 ");
    }

    static Stream<Set<String>> sets() {
        return Stream.of(Set.of(), Set.of(""), Set.of("", " "), Set.of("%", "%%20", "=", "a=b c"),
                Set.of("ü", "名前", "\u007f\u001f"), Set.of("openid", "profile", "offline_access"));
    }

    @ParameterizedTest
    @MethodSource("sets")
    void decodeSetReversesEncodeSet(Set<String> values) {
        assertThat(TextCodec.decodeSet(TextCodec.encodeSet(values))).isEqualTo(values);
    }

    static Stream<Map<String, String>> maps() {
        return Stream.of(Map.of(), Map.of("k", ""), Map.of("a=b", "c=d", "x y", "%20"),
                Map.of("model", "TV 55\" 100%", "名前", "ü\t"));
    }

    @ParameterizedTest
    @MethodSource("maps")
    void decodeMapReversesEncodeMap(Map<String, String> entries) {
        assertThat(TextCodec.decodeMap(TextCodec.encodeMap(entries))).isEqualTo(entries);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a b", "%2 ", "%zz ", "%"})
    void decodeSetWhenMalformedThenIllegalArgument(String text) {
        assertThatThrownBy(() -> TextCodec.decodeSet(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k", "k=v", "kv ", "k=v=w ", "k=1 k=2 "})
    void decodeMapWhenMalformedThenIllegalArgument(String text) {
        assertThatThrownBy(() -> TextCodec.decodeMap(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
