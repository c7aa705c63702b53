package org.devicegrant.device;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TokenCache#file(Path)}: the tokens as a {@link Properties} file of a few keys.
 *
 * <ul>
 *   <li>Owner only: with POSIX permissions the temporary file is created {@code rw-------}
 *       before a token is written into it, and a missing parent directory
 *       {@code rwx------}. Without them (Windows) both get the platform defaults of their
 *       directory. {@link #load()} warns, naming only the path and the permissions, when a file
 *       that it reads has any permission beyond {@code rw-------}.</li>
 *   <li>All or nothing: {@link #save(CachedTokens)} writes and forces a temporary file in the
 *       same directory, then moves it over the file ({@code ATOMIC_MOVE} where the file system
 *       supports it, else a plain replace). A failed save deletes the temporary file and leaves
 *       the previous file as it was.</li>
 *   <li>Methods are {@code synchronized}. {@link #exclusively(Action)} also holds an OS file
 *       lock on a sibling {@code <name>.lock} file (created empty, left in place), so that
 *       {@link ValidToken} in two processes never refreshes with the same refresh token: with
 *       rotation and reuse detection (RFC 9700 §4.14.2) the second presentation would revoke
 *       the grant. Where the OS has only advisory locks, only cooperating processes wait.</li>
 * </ul>
 */
final class FileTokenCache implements TokenCache {

    static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    static final String FORMAT = "devicegrant-tokens-1";

    private static final Logger LOG = LoggerFactory.getLogger(FileTokenCache.class);
    /** One monitor per file in this JVM: the OS lock is per process, not per thread. */
    private static final ConcurrentMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    /** Work done while holding the file exclusively. */
    @FunctionalInterface
    interface Action<T> {
        T run() throws IOException, DeviceFlowException;
    }

    private final Path path;

    FileTokenCache(Path path) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    }

    @Override
    public synchronized Optional<CachedTokens> load() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IllegalArgumentException malformed) {
            throw notTokens();
        }
        if (posix()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (!FILE_PERMISSIONS.containsAll(permissions)) {
                LOG.warn("the token file {} has permissions {}; it should be rw-------", path,
                        PosixFilePermissions.toString(permissions));
            }
        }
        if (!FORMAT.equals(properties.getProperty("format"))) {
            throw notTokens();
        }
        try {
            String expiresAt = properties.getProperty("expires_at");
            String scope = properties.getProperty("scope", "");
            return Optional.of(new CachedTokens(properties.getProperty("access_token"),
                    properties.getProperty("token_type"),
                    expiresAt == null ? null : Instant.parse(expiresAt),
                    properties.getProperty("refresh_token"), properties.getProperty("id_token"),
                    scope.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scope.split(" ")))));
        } catch (NullPointerException | IllegalArgumentException | DateTimeParseException invalid) {
            // No cause: its message could quote a value.
            throw notTokens();
        }
    }

    @Override
    public synchronized void save(CachedTokens tokens) throws IOException {
        Objects.requireNonNull(tokens, "tokens");
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        properties.setProperty("access_token", tokens.accessToken());
        properties.setProperty("token_type", tokens.tokenType());
        if (tokens.expiresAt() != null) {
            properties.setProperty("expires_at", tokens.expiresAt().toString());
        }
        if (tokens.refreshToken() != null) {
            properties.setProperty("refresh_token", tokens.refreshToken());
        }
        if (tokens.idToken() != null) {
            properties.setProperty("id_token", tokens.idToken());
        }
        properties.setProperty("scope", String.join(" ", tokens.scope()));
        Writer text = new StringWriter();
        properties.store(text, "OAuth tokens of this device: keep private");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        Path directory = createDirectory();
        Path temporary = Files.createTempFile(directory, "." + path.getFileName() + ".", ".tmp",
                ownerOnly(FILE_PERMISSIONS));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.debug("tokens saved to {}", path);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Runs {@code action} while no other thread of this JVM and no other process that uses this
     * method holds the same file. Blocks until then.
     */
    @SuppressWarnings("try") // the lock is held by the try block, never referenced in it
    <T> T exclusively(Action<T> action) throws IOException, DeviceFlowException {
        synchronized (IN_PROCESS.computeIfAbsent(path, p -> new Object())) {
            Path directory = createDirectory();
            Path lockFile = directory.resolve(path.getFileName() + ".lock");
            FileAttribute<?>[] ownerOnly = ownerOnly(FILE_PERMISSIONS);
            try (FileChannel channel = FileChannel.open(lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly);
                    FileLock lock = channel.lock()) {
                return action.run();
            }
        }
    }

    @Override
    public synchronized void clear() throws IOException {
        if (Files.deleteIfExists(path)) {
            LOG.debug("token file {} deleted", path);
        }
    }

    private Path createDirectory() throws IOException {
        Path directory = path.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, ownerOnly(DIRECTORY_PERMISSIONS));
        }
        return directory;
    }

    private FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
        return posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    private boolean posix() {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private IOException notTokens() {
        return new IOException("the token file " + path + " is not a " + FORMAT + " file; sign in again");
    }

    @Override
    public String toString() {
        return "FileTokenCache[" + path + "]";
    }
}
