package org.devicegrant.device;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** {@link TokenCache#inMemory()}: one reference, lost when the process ends. Thread-safe. */
final class InMemoryTokenCache implements TokenCache {

    private final AtomicReference<CachedTokens> tokens = new AtomicReference<>();

    @Override
    public Optional<CachedTokens> load() {
        return Optional.ofNullable(tokens.get());
    }

    @Override
    public void save(CachedTokens tokens) {
        this.tokens.set(Objects.requireNonNull(tokens, "tokens"));
    }

    @Override
    public void clear() {
        tokens.set(null);
    }

    /** Whether tokens are held; never a token. */
    @Override
    public String toString() {
        return "InMemoryTokenCache[" + (tokens.get() == null ? "empty" : "tokens") + "]";
    }
}
