package org.devicegrant.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository these tests read: Maven runs them in {@code integration-tests}, so it is the parent folder. */
final class Repository {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private Repository() {
    }

    /** The {@code .java} files under {@code module}'s {@code folder} (e.g. {@code src/main/java}); none if it has no such folder. */
    static List<Path> javaFiles(Path module, String folder) {
        Path dir = module.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every module folder of the repository. */
    static List<Path> modules() {
        try (Stream<Path> entries = Files.list(ROOT)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
