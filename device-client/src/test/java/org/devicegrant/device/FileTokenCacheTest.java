package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenCacheTest {

    static final String ACCESS = "at-2YotnFZFEjr1zCsicMWpAA";
    static final String REFRESH = "rt-tGzv3JOkF0XG5Qx2TlKWIA";
    static final String ID_TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.";
    static final CachedTokens TOKENS = new CachedTokens(ACCESS, "Bearer", Instant.parse("2026-01-01T01:00:00Z"),
            REFRESH, ID_TOKEN, Set.of("openid", "offline_access"));

    @TempDir
    Path home;

    Path file;
    TokenCache cache;

    @BeforeEach
    void setUp() {
        file = home.resolve("config").resolve("tv-app").resolve("tokens");
        cache = TokenCache.file(file);
        CapturedLogs.clear();
    }

    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void loadWhenNoFileThenEmpty() throws Exception {
        assertThat(cache.load()).isEmpty();
    }

    @Test
    void saveThenLoadWhenEveryFieldThenSameTokens() throws Exception {
        cache.save(TOKENS);

        assertThat(TokenCache.file(file).load()).contains(TOKENS);
    }

    @Test
    void saveThenLoadWhenOptionalFieldsAbsentThenNullsAndEmptyScope() throws Exception {
        CachedTokens minimal = new CachedTokens(ACCESS, "Bearer", null, null, null, Set.of());

        cache.save(minimal);

        assertThat(cache.load()).contains(minimal);
    }

    @Test
    void saveThenLoadWhenTokensHaveSpecialCharactersThenUnchanged() throws Exception {
        // RFC 6749 Appendix A.12: access-token = 1*VSCHAR, so '=', ':', '#', '\' and space occur.
        CachedTokens odd = new CachedTokens("a=b:c#d\\e f!", "Bearer", null, "r=t\\:#", null, Set.of("x"));

        cache.save(odd);

        assertThat(cache.load()).contains(odd);
    }

    @Test
    void saveWhenNewerTokensThenOnlyTheNewestRefreshTokenIsInTheFile() throws Exception {
        CachedTokens rotated = new CachedTokens("at-new", "Bearer", null, "rt-newest", null, Set.of());

        cache.save(TOKENS);
        cache.save(rotated);

        assertThat(cache.load()).contains(rotated);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).doesNotContain(REFRESH).doesNotContain(ACCESS);
    }

    @Test
    void saveWhenPosixThenFileIsReadableOnlyByItsOwnerAndNewDirectoryToo() throws Exception {
        assumeTrue(posix(home), "POSIX file permissions");

        cache.save(TOKENS);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void saveWhenExistingFileWasWorldReadableThenReplacedByAnOwnerOnlyFile() throws Exception {
        assumeTrue(posix(home), "POSIX file permissions");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        cache.save(TOKENS);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void saveWhenDirectoryExistsThenItsPermissionsAreLeftAlone() throws Exception {
        assumeTrue(posix(home), "POSIX file permissions");
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));

        cache.save(TOKENS);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void saveWhenDoneThenNoTemporaryFileIsLeft() throws Exception {
        cache.save(TOKENS);
        cache.save(TOKENS);

        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void saveWhenTheMoveFailsThenThePreviousFileStaysAndNoTemporaryFileIsLeft() throws Exception {
        // The target is a non-empty directory: the final move cannot replace it.
        Files.createDirectories(file.resolve("blocker"));

        assertThatThrownBy(() -> cache.save(TOKENS)).isInstanceOf(IOException.class);

        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertThat(file.resolve("blocker")).isDirectory();
    }

    @Test
    void loadWhenFileIsReadableByOthersThenWarnsNamingThePathOnly() throws Exception {
        assumeTrue(posix(home), "POSIX file permissions");
        cache.save(TOKENS);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(cache.load()).contains(TOKENS);

        assertThat(CapturedLogs.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN")
                .contains(file.toString()).contains("rw-r--r--"));
        assertThat(String.join("\n", CapturedLogs.lines())).doesNotContain(ACCESS).doesNotContain(REFRESH);
    }

    @Test
    void loadWhenOwnerOnlyThenNoWarning() throws Exception {
        cache.save(TOKENS);

        cache.load();

        assertThat(CapturedLogs.lines()).noneSatisfy(line -> assertThat(line).startsWith("WARN"));
    }

    @Test
    void loadWhenFileIsNotATokenFileThenIOExceptionWithoutItsContent() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "access_token=" + ACCESS + "\n");

        assertThatThrownBy(() -> cache.load()).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ACCESS));
    }

    @Test
    void loadWhenAFieldIsInvalidThenIOExceptionWithoutTheValue() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "format=devicegrant-tokens-1\naccess_token=" + ACCESS
                + "\ntoken_type=Bearer\nexpires_at=" + REFRESH + "\n");

        assertThatThrownBy(() -> cache.load()).isInstanceOf(IOException.class)
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ACCESS).doesNotContain(REFRESH));
    }

    @Test
    void clearWhenSavedThenFileDeletedAndLoadEmpty() throws Exception {
        cache.save(TOKENS);

        cache.clear();

        assertThat(file).doesNotExist();
        assertThat(cache.load()).isEqualTo(Optional.empty());
    }

    @Test
    void clearWhenNothingSavedThenNothingHappens() throws Exception {
        cache.clear();

        assertThat(cache.load()).isEmpty();
    }

    @Test
    void saveLoadClearWhenDoneThenNoTokenInLogsOrToString() throws Exception {
        cache.save(TOKENS);
        cache.load();
        cache.clear();

        String logs = String.join("\n", CapturedLogs.lines());
        assertThat(logs).contains(file.toString()).doesNotContain(ACCESS).doesNotContain(REFRESH)
                .doesNotContain(ID_TOKEN);
        assertThat(cache.toString()).contains(file.toString());
    }
}
