package org.devicegrant.internal;

import org.devicegrant.CodePolicy;
import org.devicegrant.TestGrants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeviceCodeGeneratorTest {

    @Test
    @DisplayName("D34 / O17 / row 13: the default of 32 random bytes is 43 base64url characters")
    void generateWhenDefaultThen32BytesAs43Base64UrlCharacters() {
        DeviceCodeGenerator generator = new DeviceCodeGenerator(TestGrants.seeded(1),
                CodePolicy.defaults().deviceCodeBytes());

        String code = generator.generateWithId(16).deviceCode();

        assertThat(generator.bytes()).isEqualTo(32);
        assertThat(code).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(code)).hasSize(32);
    }

    @Test
    void generateWhenFixedBytesThenTheirBase64Url() {
        SecureRandom constant = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 0xFB);
            }
        };

        // 0xFB 0xFB 0xFB = "-_v7" in base64url; in plain base64 it would be "+/v7".
        assertThat(new DeviceCodeGenerator(constant, 18).generateWithId(3).deviceCode()).isEqualTo("-_v7".repeat(6));
    }

    @Test
    void generateWhenCalledRepeatedlyThenDistinctCodes() {
        DeviceCodeGenerator generator = new DeviceCodeGenerator(TestGrants.seeded(2), 16);
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            codes.add(generator.generateWithId(1).deviceCode());
        }

        assertThat(codes).hasSize(10_000).allMatch(code -> code.length() == 22);
    }

    @Test
    void generateWhenTheLengthsCodePolicyAllowsThenTheirBase64Url() {
        // the allowed range itself is CodePolicy's (DeviceGrantBuilderTest)
        assertThat(new DeviceCodeGenerator(new SecureRandom(), 16).generateWithId(1).deviceCode()).hasSize(22);
        assertThat(new DeviceCodeGenerator(new SecureRandom(), 64).generateWithId(1).deviceCode()).hasSize(86);
    }

    @Test
    void constructorWhenNullRandomThenNullPointerException() {
        assertThatNullPointerException().isThrownBy(() -> new DeviceCodeGenerator(null, 32));
    }

    @Test
    void generateWithIdDrawsBothFromOneCallAndTheIdIsNotPartOfTheCode() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        SecureRandom counting = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                calls.incrementAndGet();
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) i;
                }
            }
        };
        DeviceCodeGenerator.CodeAndId drawn = new DeviceCodeGenerator(counting, 32).generateWithId(16);

        assertThat(calls).hasValue(1);
        assertThat(Base64.getUrlDecoder().decode(drawn.deviceCode())).hasSize(32).startsWith(0, 1, 2);
        assertThat(Base64.getUrlDecoder().decode(drawn.id())).hasSize(16).startsWith(32, 33, 34);
        assertThat(drawn.toString()).doesNotContain(drawn.deviceCode());
        assertThatIllegalArgumentException().isThrownBy(() -> new DeviceCodeGenerator(counting, 32).generateWithId(0))
                .withMessageContaining("idBytes");
    }
}
