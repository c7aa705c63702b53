package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryTokenCacheTest {

    static final CachedTokens TOKENS = new CachedTokens("at-secret", "Bearer", null, "rt-secret", null, Set.of());

    @Test
    void loadWhenNothingSavedThenEmpty() throws Exception {
        assertThat(TokenCache.inMemory().load()).isEmpty();
    }

    @Test
    void saveThenLoadThenClear() {
        InMemoryTokenCache cache = new InMemoryTokenCache();
        CachedTokens newer = new CachedTokens("at-2", "Bearer", null, "rt-2", null, Set.of());

        cache.save(TOKENS);
        cache.save(newer);
        assertThat(cache.load()).contains(newer);

        cache.clear();
        assertThat(cache.load()).isEmpty();
    }

    @Test
    void toStringWhenTokensHeldThenNoTokenValue() {
        InMemoryTokenCache cache = new InMemoryTokenCache();
        cache.save(TOKENS);

        assertThat(cache.toString()).isEqualTo("InMemoryTokenCache[tokens]");
        cache.clear();
        assertThat(cache.toString()).isEqualTo("InMemoryTokenCache[empty]");
    }
}
