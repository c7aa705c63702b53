package org.devicegrant.device;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a device keeps its tokens between runs: the newest refresh token above all, since a
 * rotating server (RFC 9700 §4.14.2) retires every older one. {@link ValidToken} loads from it
 * and saves every refreshed set before handing out the access token.
 *
 * <p>Implementations never log or put into an exception message a token, and make
 * {@link #save(CachedTokens)} all-or-nothing: after a failed save, {@link #load()} returns the
 * previous tokens.
 */
public interface TokenCache {

    /**
     * The saved tokens.
     *
     * @return the tokens, or empty when none are saved (never signed in, or cleared)
     * @throws IOException if they cannot be read, or what is stored is not a set of tokens
     */
    Optional<CachedTokens> load() throws IOException;

    /**
     * Replaces the saved tokens with {@code tokens}, all at once.
     *
     * @throws IOException if they cannot be written; the previous tokens are then still saved
     */
    void save(CachedTokens tokens) throws IOException;

    /**
     * Forgets the saved tokens (sign-out). Idempotent.
     *
     * @throws IOException if they cannot be removed
     */
    void clear() throws IOException;

    /** A cache in this process's memory, for tests and for devices that sign in on every start. Thread-safe. */
    static TokenCache inMemory() {
        return new InMemoryTokenCache();
    }

    /**
     * A cache in one file, for command-line tools and other devices that stay signed in across
     * runs. On file systems with POSIX
     * permissions the file is readable and writable only by its owner ({@code rw-------}) and a
     * missing directory is created {@code rwx------}; elsewhere (Windows) the file gets the
     * default permissions of its directory, so keep it in the user's profile (e.g. under
     * {@code %APPDATA%}), which is private to the user by default. Writes go to a temporary file
     * in the same directory, which then replaces the file atomically where the file system can.
     * Thread-safe; {@link ValidToken} also locks the file against other processes while it
     * refreshes (a sibling {@code <name>.lock} file, left in place).
     *
     * @param path the file, e.g. {@code ~/.config/my-cli/tokens}
     */
    static TokenCache file(Path path) {
        return new FileTokenCache(path);
    }
}
