package org.devicegrant.integration;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host imports our API types next to Nimbus's (the wire types we build on): no two public types it
 * sees may share a simple name, or one of them has to be written out in full. Covers the public
 * top-level types of every published module, outside {@code org.devicegrant.internal}.
 */
class PublicTypeNamesTest {

    private static final List<String> PUBLISHED = List.of("storage-spi", "storage-tck", "storage-inmemory",
            "storage-jdbc", "storage-redis", "core", "http-tck", "http-jdk", "http-servlet", "device-client");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public (?:final |abstract |sealed |non-sealed )*(?:class|interface|record|enum|@interface) ");

    @Test
    void publicTypesOfOurModulesHaveDistinctSimpleNames() {
        Map<String, List<Path>> byName = ourPublicTypes();
        assertThat(byName).as("public types found").hasSizeGreaterThan(60);
        assertThat(byName.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getValue).toList())
                .as("simple names used by two public types of ours").isEmpty();
    }

    @Test
    void noPublicTypeOfOursSharesASimpleNameWithANimbusClass() {
        Set<String> nimbus = nimbusClassNames();
        assertThat(nimbus).as("Nimbus classes on the class path").contains("TokenRequest", "ErrorObject", "JWKSet");
        Set<String> clashes = new TreeSet<>(ourPublicTypes().keySet());
        clashes.retainAll(nimbus);
        assertThat(clashes).as("our public types named like a Nimbus class").isEmpty();
    }

    private static Map<String, List<Path>> ourPublicTypes() {
        Map<String, List<Path>> byName = new HashMap<>();
        for (String module : PUBLISHED) {
            for (Path source : Repository.javaFiles(Repository.ROOT.resolve(module), "src/main/java")) {
                String file = source.getFileName().toString();
                if (source.toString().contains(File.separator + "internal" + File.separator)
                        || file.equals("module-info.java") || file.equals("package-info.java")
                        || !PUBLIC_TYPE.matcher(read(source)).find()) {
                    continue;
                }
                byName.computeIfAbsent(file.substring(0, file.length() - 5), k -> new ArrayList<>()).add(source);
            }
        }
        return byName;
    }

    private static String read(Path source) {
        try {
            return Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> nimbusClassNames() {
        Set<String> names = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String jar = Path.of(entry).getFileName().toString();
            if (!(jar.startsWith("oauth2-oidc-sdk-") || jar.startsWith("nimbus-jose-jwt-")) || !jar.endsWith(".jar")) {
                continue;
            }
            try (ZipFile zip = new ZipFile(entry)) {
                zip.stream().map(e -> e.getName())
                        .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.endsWith("-info.class"))
                        .forEach(n -> names.add(n.substring(n.lastIndexOf('/') + 1, n.length() - 6)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }
}
