package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host application that is itself a module ({@code src/test/resources/example-host}), compiled
 * by javac against our modules and their runtime dependencies on the module path and run with
 * {@code java -m}: the module descriptors must be complete for it to run (every {@code requires},
 * every package a library reaches reflectively), and only the exported packages are API.
 *
 * <p>The module path is the one the build writes (maven-dependency-plugin {@code build-classpath},
 * see this module's pom): the reactor's jars in {@code mvn verify}, its {@code target/classes}
 * directories (exploded modules) in {@code mvn test}.
 */
class ModulePathHostTest {

    private static final String HOST_RESOURCES = "/example-host/";
    private static final List<String> HOST_SOURCES = List.of("module-info.java", "example/host/Main.java");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private static List<Path> modulePath;

    @TempDir
    Path work;

    @BeforeAll
    static void readModulePath() throws IOException {
        String file = System.getProperty("devicegrant.hostModulePath");
        assertThat(file).as("system property devicegrant.hostModulePath (set by this module's pom; run through Maven)")
                .isNotNull();
        modulePath = Arrays.stream(Files.readString(Path.of(file)).strip().split(File.pathSeparator))
                .map(Path::of).toList();
    }

    @Test
    void modulePathWhenWrittenByTheBuildThenHoldsOurModulesAndNoTestLibraries() {
        List<String> modules = ModuleFinder.of(modulePath.toArray(Path[]::new)).findAll().stream()
                .map(module -> module.descriptor().name()).toList();

        assertThat(modules).contains("org.devicegrant", "org.devicegrant.storage", "org.devicegrant.storage.inmemory",
                "org.devicegrant.device", "oauth2.oidc.sdk", "com.nimbusds.jose.jwt");
        assertThat(modules).noneMatch(name -> name.startsWith("org.junit") || name.startsWith("org.opentest4j")
                || name.startsWith("org.apiguardian") || name.startsWith("org.assertj")
                || name.equals("org.devicegrant.storage.tck"));
        assertThat(modulePath).allSatisfy(entry -> assertThat(entry.toString()).doesNotContain("test-classes"));
    }

    @Test
    void hostWhenOnTheModulePathThenRunsTheWholeFlow() throws Exception {
        Path sources = writeHost(hostSource("example/host/Main.java"));

        Compilation compilation = compile(sources);
        assertThat(compilation.succeeded()).as(compilation.describe()).isTrue();
        Run run = run(compilation.classes());

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout().lines()).as(run.describe()).containsExactly(
                "modules: example.host org.devicegrant org.devicegrant.storage.inmemory org.devicegrant.device",
                "qr=PNG",
                "id_token locale=de",
                "token_type=Bearer");
    }

    @Test
    void hostWhenImportingAnInternalTypeThenJavacRejectsItAsNotExported() throws Exception {
        String main = hostSource("example/host/Main.java");
        String internalImport = "import org.devicegrant.internal.StateMachine;";
        String withInternalImport = main.replaceFirst("\nimport ", "\n" + internalImport + "\nimport ");
        long importLine = withInternalImport.substring(0, withInternalImport.indexOf(internalImport)).chars()
                .filter(c -> c == '\n').count() + 1;
        Path sources = writeHost(withInternalImport);

        Compilation compilation = compile(sources);

        assertThat(compilation.succeeded()).as(compilation.describe()).isFalse();
        assertThat(compilation.errors()).as(compilation.describe()).singleElement().satisfies(error -> {
            assertThat(error.getLineNumber()).isEqualTo(importLine);
            assertThat(error.getCode()).isEqualTo("compiler.err.package.not.visible");
            assertThat(error.getMessage(Locale.ROOT))
                    .contains("package org.devicegrant.internal is not visible")
                    .contains("declared in module org.devicegrant, which does not export it");
        });
    }

    /** Writes the host's module-info and its {@code Main} with this text; returns the source root. */
    private Path writeHost(String main) throws IOException {
        Path root = work.resolve("src");
        for (String name : HOST_SOURCES) {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, name.endsWith("Main.java") ? main : hostSource(name));
        }
        return root;
    }

    private static String hostSource(String name) {
        try (InputStream in = ModulePathHostTest.class.getResourceAsStream(HOST_RESOURCES + name)) {
            assertThat(in).as("test resource " + HOST_RESOURCES + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Compilation compile(Path sources) throws IOException {
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            // Only the module path: in-process javac would otherwise take this JVM's class path, where
            // our jars' packages sit in the unnamed module, and report on that instead.
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of());
            List<String> options = List.of("--release", "17", "--module-path", joined(modulePath),
                    "-d", classes.toString(), "-implicit:none");
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(
                    HOST_SOURCES.stream().map(sources::resolve).toList());
            boolean succeeded = javac.getTask(null, files, diagnostics, options, null, units).call();
            return new Compilation(succeeded, diagnostics.getDiagnostics(), classes);
        }
    }

    private Run run(Path classes) throws IOException, InterruptedException {
        List<Path> hostModulePath = new ArrayList<>();
        hostModulePath.add(classes);
        hostModulePath.addAll(modulePath);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stdout = work.resolve("stdout.txt");
        Path stderr = work.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "--module-path", joined(hostModulePath),
                "-m", "example.host/example.host.Main")
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().remove("CLASSPATH");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the host did not finish within " + RUN_TIMEOUT + "; stderr:\n" + Files.readString(stderr));
        }
        return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    private static String joined(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private record Compilation(boolean succeeded, List<Diagnostic<? extends JavaFileObject>> diagnostics, Path classes) {

        List<Diagnostic<? extends JavaFileObject>> errors() {
            return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
        }

        String describe() {
            return "javac diagnostics of the host:\n" + diagnostics.stream()
                    .map(d -> d.getKind() + " " + d.getCode() + " line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
        }
    }

    private record Run(int exitCode, String stdout, String stderr) {

        String describe() {
            return "host exit code " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
