package org.devicegrant.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CodeHasherTest {

    private static final byte[] KEY = key((byte) 0x42, 32);

    @Test
    void deviceCodeHashWhenKnownInputThenSha256Base64Url() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        // (FIPS 180-2 example), here in base64url without padding.
        assertThat(new CodeHasher(KEY).deviceCodeHash("abc"))
                .isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    @Test
    void deviceCodeHashWhenDifferentKeysThenSameHash() {
        assertThat(new CodeHasher(KEY).deviceCodeHash("device-code"))
                .isEqualTo(new CodeHasher(key((byte) 0x01, 64)).deviceCodeHash("device-code"))
                .hasSize(43)
                .doesNotContain("=", "+", "/");
    }

    @Test
    void userCodeHashWhenRfc4231TestCase6ThenKnownHmac() {
        // RFC 4231 §4.7 (test case 6): key = 131 bytes of 0xaa, data = "Test Using Larger Than
        // Block-Size Key - Hash Key First", HMAC-SHA-256 =
        // 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54, here in base64url.
        CodeHasher hasher = new CodeHasher(key((byte) 0xaa, 131));

        assertThat(hasher.userCodeHash("Test Using Larger Than Block-Size Key - Hash Key First"))
                .isEqualTo("YOQxWR7gtn8Niiaqy_W3f44LxiE3KMUUBUYEDw7jf1Q");
    }

    @Test
    void userCodeHashWhenDifferentKeysThenDifferentHashes() {
        String one = new CodeHasher(key((byte) 0x01, 32)).userCodeHash("WDJBMJHT");
        String two = new CodeHasher(key((byte) 0x02, 32)).userCodeHash("WDJBMJHT");

        assertThat(one).isNotEqualTo(two);
        assertThat(one).hasSize(43).doesNotContain("WDJBMJHT");
    }

    @Test
    void userCodeHashWhenNotKeyedThenDiffersFromPlainSha256() {
        CodeHasher hasher = new CodeHasher(KEY);

        assertThat(hasher.userCodeHash("WDJBMJHT")).isNotEqualTo(hasher.deviceCodeHash("WDJBMJHT"));
    }

    @Test
    void constructorWhenKeyShorterThan32BytesThenRejectedNamingTheKey() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CodeHasher(new byte[31]))
                .withMessageContaining("userCodeKey")
                .withMessageContaining("at least 32 bytes");
        assertThat(new CodeHasher(new byte[32]).userCodeHash("B")).isNotEmpty();
    }

    @Test
    void constructorWhenNullKeyThenNullPointerException() {
        assertThatNullPointerException().isThrownBy(() -> new CodeHasher(null));
    }

    @Test
    void constructorWhenCallerChangesKeyArrayAfterwardsThenHashUnchanged() {
        byte[] key = KEY.clone();
        CodeHasher hasher = new CodeHasher(key);
        String before = hasher.userCodeHash("WDJBMJHT");

        Arrays.fill(key, (byte) 0);

        assertThat(hasher.userCodeHash("WDJBMJHT")).isEqualTo(before);
    }

    @Test
    void toStringWhenCalledThenNoKeyMaterial() {
        assertThat(new CodeHasher(key((byte) 'k', 32)).toString()).doesNotContain("kkkk");
    }

    @Test
    void hashesWhenUsedFrom8ThreadsAtOnceThenSameAsSingleThreaded() throws Exception {
        CodeHasher hasher = new CodeHasher(KEY);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            inputs.add("CODE" + i);
        }
        List<String> expected = hashAll(hasher, inputs);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Callable<List<String>> task = () -> {
                    start.await();
                    return hashAll(hasher, inputs);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<List<String>> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> hashAll(CodeHasher hasher, List<String> inputs) {
        List<String> hashes = new ArrayList<>(inputs.size() * 2);
        for (String input : inputs) {
            hashes.add(hasher.userCodeHash(input));
            hashes.add(hasher.deviceCodeHash(input));
        }
        return hashes;
    }

    private static byte[] key(byte fill, int length) {
        byte[] key = new byte[length];
        Arrays.fill(key, fill);
        return key;
    }
}
