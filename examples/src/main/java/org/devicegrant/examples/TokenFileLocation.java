package org.devicegrant.examples;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * Where the demo device keeps its tokens when no {@code --token-file} is given: one file per
 * server and client, so that signing in to one never overwrites the tokens of another.
 *
 * <p>{@code CONFIG/devicegrant/tokens/<authority>_<client-id>_<hash>.properties}, where
 * {@code CONFIG} is {@code $XDG_CONFIG_HOME} when it is set to an absolute path (the XDG Base
 * Directory rule: a relative one is ignored), else {@code ~/.config}, on every platform.
 * {@code <authority>_<client-id>} is for people reading the directory (characters other than
 * {@code A-Z a-z 0-9 . _ -} become {@code _}, at most 64 of them); {@code <hash>} is the first 8 hex
 * digits of the SHA-256 of the server URL and the client id, which tells apart what that shortened
 * name does not.
 */
final class TokenFileLocation {

    static final String XDG_CONFIG_HOME = "XDG_CONFIG_HOME";
    static final int MAX_READABLE = 64;

    private TokenFileLocation() {
    }

    /**
     * The user's configuration directory: {@code $XDG_CONFIG_HOME} if it is an absolute path, else
     * {@code <userHome>/.config}.
     *
     * @param environment the process environment, e.g. {@link System#getenv()}
     * @param userHome    the {@code user.home} system property
     */
    static Path configHome(Map<String, String> environment, String userHome) {
        String xdg = environment.get(XDG_CONFIG_HOME);
        if (xdg != null && !xdg.isEmpty()) {
            try {
                Path configured = Path.of(xdg);
                if (configured.isAbsolute()) {
                    return configured;
                }
            } catch (InvalidPathException ignored) {
                // not a path on this platform: ignored like a relative one
            }
        }
        return Path.of(Objects.requireNonNull(userHome, "userHome"), ".config");
    }

    /** The token file of {@code clientId} at {@code server} under {@code configHome}. */
    static Path tokenFile(Path configHome, URI server, String clientId) {
        return configHome.resolve("devicegrant").resolve("tokens").resolve(fileName(server, clientId));
    }

    static String fileName(URI server, String clientId) {
        String readable = (server.getRawAuthority() + "_" + clientId).replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > MAX_READABLE) {
            readable = readable.substring(0, MAX_READABLE);
        }
        byte[] digest = sha256(server + "\n" + clientId);
        return readable + "_" + HexFormat.of().formatHex(digest, 0, 4) + ".properties";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
