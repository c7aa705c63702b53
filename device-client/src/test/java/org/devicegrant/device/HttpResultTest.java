package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpResultTest {

    @Test
    void firstHeaderWhenNameDiffersInCaseThenFound() {
        HttpResult result = new HttpResult(200, Map.of("content-type", List.of("application/json", "x")), "{}");

        assertThat(result.firstHeader("Content-Type")).isEqualTo("application/json");
        assertThat(result.firstHeader("Cache-Control")).isNull();
    }

    @Test
    void constructorWhenHeadersMutatedLaterThenCopyUnchangedAndNullsDropped() {
        List<String> values = new ArrayList<>(Arrays.asList("a", null));
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("X-One", values);
        headers.put(null, List.of("HTTP/1.1 200 OK"));

        HttpResult result = new HttpResult(200, headers, "");
        values.add("b");
        headers.put("X-Two", List.of("c"));

        assertThat(result.headers()).containsOnlyKeys("X-One");
        assertThat(result.headers().get("X-One")).containsExactly("a");
    }

    @ParameterizedTest
    @ValueSource(ints = {99, 600, -1})
    void constructorWhenStatusOutOfRangeThenRejected(int status) {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpResult(status, Map.of(), ""))
                .withMessageContaining("between 100 and 599");
    }

    @Test
    void toStringWhenBodyHoldsTokenThenOnlyItsLength() {
        HttpResult result = new HttpResult(200, Map.of(), "{\"access_token\":\"at-secret\"}");

        assertThat(result.toString()).doesNotContain("at-secret").contains("200").contains("28 chars");
    }
}
