package org.devicegrant.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseContentTest {

    @ParameterizedTest
    @ValueSource(strings = {"HEAD", "head", "Head"})
    void allowedWhenHeadThenNoContent(String method) {
        // RFC 9110 §9.3.2: the server MUST NOT send content in the response to HEAD
        assertThat(ResponseContent.allowed(method)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "GET", "PUT", "DELETE", "OPTIONS", "PATCH", "HEADER"})
    void allowedWhenOtherMethodThenContentSent(String method) {
        assertThat(ResponseContent.allowed(method)).isTrue();
    }

    @Test
    void allowedWhenMethodMissingThenRejectedAtOnce() {
        assertThatThrownBy(() -> ResponseContent.allowed(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("requestMethod");
    }
}
