package org.devicegrant.examples;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TokenFileLocationTest {

    private static final URI SERVER = URI.create("http://localhost:8080");

    @Test
    void configHomeWhenXdgConfigHomeAbsoluteThenIt() {
        Path xdg = Path.of("/home/ann/.cfg").toAbsolutePath();

        assertThat(TokenFileLocation.configHome(Map.of("XDG_CONFIG_HOME", xdg.toString()), "/home/ann")).isEqualTo(xdg);
    }

    @Test
    void configHomeWhenXdgConfigHomeUnsetEmptyOrRelativeThenDotConfigInTheHome() {
        Path fallback = Path.of("/home/ann", ".config");

        assertThat(TokenFileLocation.configHome(Map.of(), "/home/ann")).isEqualTo(fallback);
        assertThat(TokenFileLocation.configHome(Map.of("XDG_CONFIG_HOME", ""), "/home/ann")).isEqualTo(fallback);
        // XDG Base Directory: a relative path in the variable is invalid and ignored
        assertThat(TokenFileLocation.configHome(Map.of("XDG_CONFIG_HOME", "cfg"), "/home/ann")).isEqualTo(fallback);
    }

    @Test
    void tokenFileWhenServerAndClientThenReadableNameWithHashUnderDevicegrantTokens() {
        Path file = TokenFileLocation.tokenFile(Path.of("/cfg"), SERVER, "demo-device");

        assertThat(file.getParent()).isEqualTo(Path.of("/cfg", "devicegrant", "tokens"));
        assertThat(file.getFileName().toString()).matches("localhost_8080_demo-device_[0-9a-f]{8}\\.properties");
    }

    @Test
    void tokenFileWhenServerOrClientDiffersThenAnotherFile() {
        Path cfg = Path.of("/cfg");
        Path file = TokenFileLocation.tokenFile(cfg, SERVER, "demo-device");

        assertThat(TokenFileLocation.tokenFile(cfg, URI.create("http://localhost:8080"), "demo-device")).isEqualTo(file);
        assertThat(TokenFileLocation.tokenFile(cfg, URI.create("http://localhost:8081"), "demo-device"))
                .isNotEqualTo(file);
        assertThat(TokenFileLocation.tokenFile(cfg, URI.create("https://localhost:8080"), "demo-device"))
                .isNotEqualTo(file);
        assertThat(TokenFileLocation.tokenFile(cfg, SERVER, "demo-tv")).isNotEqualTo(file);
        // the same readable name once unusual characters are replaced; the hash still tells them apart
        assertThat(TokenFileLocation.tokenFile(cfg, SERVER, "a/b")).isNotEqualTo(
                TokenFileLocation.tokenFile(cfg, SERVER, "a:b"));
    }

    @Test
    void fileNameWhenClientIdLongOrUnusualThenShortenedToSafeCharacters() {
        String name = TokenFileLocation.fileName(SERVER, "../../etc/passwd " + "x".repeat(200));

        assertThat(name).matches("[A-Za-z0-9._-]{" + TokenFileLocation.MAX_READABLE + "}_[0-9a-f]{8}\\.properties")
                .doesNotContain("/");
    }
}
