package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/compliance.md} honest: every test it cites exists where it says, and every
 * requirement ID a test names in its method name has a row there.
 *
 * <p>Tests are the methods annotated {@code @Test}, {@code @ParameterizedTest},
 * {@code @RepeatedTest}, {@code @TestFactory} or {@code @TestTemplate} in the files under every
 * module's {@code src/test/java}, plus the conformance kits' {@code src/main/java} (a module whose
 * folder ends in {@code -tck} ships its contract tests as a library that every implementation's
 * test extends). Sources are read with the JDK's own parser, so comments and strings never count
 * as declarations. The repository is the working directory's parent, as Maven runs this module.
 */
class ComplianceDocumentTest {

    private static final Path ROOT = Repository.ROOT;
    private static final Path DOCUMENT = ROOT.resolve("docs/compliance.md");

    private static final Set<String> TEST_ANNOTATIONS =
            Set.of("Test", "ParameterizedTest", "RepeatedTest", "TestFactory", "TestTemplate");

    /** {@code `Class#method`} anywhere in the document. */
    private static final Pattern REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9_]*)#([A-Za-z_][A-Za-z0-9_]*)`");
    /** A requirement ID in the first cell of a table row: one capital letter and two digits. */
    private static final Pattern ROW_ID = Pattern.compile("[A-Z][0-9]{2}");
    /** Names from the threat plan's requirement column, e.g. REQ-UC-6, listed beside the security rows. */
    private static final Pattern DOCUMENT_ALIAS = Pattern.compile("REQ-[A-Z]+-[0-9]+");

    /** An ID inside a method name: D27 in {@code D27_polling...} or in {@code normalizeWhenD43...}. */
    private static final Pattern NAME_ID = Pattern.compile("(?<![0-9])([DOMBXCRVIPS])([0-9]{2})(?![0-9])");
    /** A threat-list row number inside a method name, e.g. {@code row13} or {@code Row_13}: security row S13. */
    private static final Pattern NAME_ROW = Pattern.compile("[Rr]ow_?([0-9]{1,2})(?![0-9])");
    /** A threat-plan requirement inside a method name, e.g. {@code REQ_UC_6_...}. */
    private static final Pattern NAME_ALIAS = Pattern.compile("REQ_([A-Z]+)_([0-9]+)(?![0-9])");

    /**
     * How many rows each ID family has: the checklist's sections 1.1–1.7, the device-side rows R07,
     * R08 and V04, and the 29 threat rows.
     */
    private static final Map<Character, Integer> FAMILIES = families();

    private static List<TestMethod> tests;
    private static String document;

    /** One test method: the module it lives in, its file's simple name, and its name. */
    record TestMethod(String module, String fileClass, String name) {
    }

    /** One table row of the document, split into trimmed cells. */
    record Row(int line, List<String> cells) {
        String first() {
            return cells.get(0);
        }
    }

    @BeforeAll
    static void readRepository() throws IOException {
        assertThat(DOCUMENT).as("docs/compliance.md under %s", ROOT).isRegularFile();
        document = Files.readString(DOCUMENT, StandardCharsets.UTF_8);
        tests = testMethods();
    }

    @Test
    void referencesWhenResolvedThenEachNamesATestMethodOfThatClass() {
        List<String> missing = new ArrayList<>();
        Matcher m = REFERENCE.matcher(document);
        int references = 0;
        while (m.find()) {
            references++;
            String fileClass = m.group(1);
            String method = m.group(2);
            if (tests.stream().noneMatch(t -> t.fileClass().equals(fileClass) && t.name().equals(method))) {
                missing.add(m.group() + " (line " + lineOf(m.start()) + ")");
            }
        }
        assertThat(references).as("references found: the document's format is what this test reads").isGreaterThan(100);
        assertThat(missing).as("references to no test method: a test was renamed, moved or deleted, or the row is wrong")
                .isEmpty();
    }

    @Test
    void tableReferencesWhenResolvedThenTheTestLivesInTheModuleOfItsRow() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Row row : rows()) {
            Matcher m = REFERENCE.matcher(row.cells().get(row.cells().size() - 1));
            if (row.cells().size() < 3 || !m.matches()) {
                continue;
            }
            checked++;
            String module = row.cells().get(row.cells().size() - 2).replace("`", "");
            String fileClass = m.group(1);
            String method = m.group(2);
            if (tests.stream().noneMatch(t -> t.module().equals(module) && t.fileClass().equals(fileClass)
                    && t.name().equals(method))) {
                wrong.add("line " + row.line() + ": " + m.group() + " is not a test of module " + module);
            }
        }
        assertThat(checked).as("rows whose last two cells are a module and a test").isGreaterThan(100);
        assertThat(wrong).isEmpty();
    }

    @Test
    void idsWhenNamedByATestMethodThenTheDocumentHasTheirRow() {
        Set<String> ids = new TreeSet<>();
        Set<String> aliases = new TreeSet<>();
        for (Row row : rows()) {
            if (ROW_ID.matcher(row.first()).matches()) {
                ids.add(row.first());
                row.cells().forEach(cell -> DOCUMENT_ALIAS.matcher(cell).results().forEach(r -> aliases.add(r.group())));
            }
        }
        Map<String, Set<String>> undocumented = new LinkedHashMap<>();
        for (TestMethod test : tests) {
            for (String id : idsNamedBy(test.name())) {
                boolean known = id.startsWith("REQ-") ? aliases.contains(id) : ids.contains(id);
                if (!known) {
                    undocumented.computeIfAbsent(id, k -> new TreeSet<>())
                            .add(test.fileClass() + "#" + test.name());
                }
            }
        }
        assertThat(undocumented).as("IDs that test methods name but docs/compliance.md has no row for").isEmpty();
    }

    @Test
    void idsWhenListedThenEveryChecklistAndThreatRowExactlyOnce() {
        Map<String, Integer> seen = new HashMap<>();
        for (Row row : rows()) {
            if (ROW_ID.matcher(row.first()).matches()) {
                seen.merge(row.first(), 1, Integer::sum);
            }
        }
        Set<String> expected = new LinkedHashSet<>();
        FAMILIES.forEach((prefix, count) -> {
            for (int i = 1; i <= count; i++) {
                expected.add(String.format(Locale.ROOT, "%c%02d", prefix, i));
            }
        });
        assertThat(seen.keySet()).as("requirement rows").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(seen).as("an ID with more than one row").allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
    }

    @Test
    void idsNamedByWhenMethodNamesCarryIdsThenFound() {
        // the parser above must see what it is meant to see, and nothing else
        assertThat(idsNamedBy("D07_D13_successCarriesEveryParameterOfSection3_2")).containsExactly("D07", "D13");
        assertThat(idsNamedBy("normalizeWhenD43PunctuationCaseOrSpacesThenCanonical")).containsExactly("D43");
        assertThat(idsNamedBy("REQ_UC_6_userCodeWorksOnce")).containsExactly("REQ-UC-6");
        assertThat(idsNamedBy("row13_unknownAndWrongClientCodesLookAlike")).containsExactly("S13");
        assertThat(idsNamedBy("fromKeyPairWhenEcP384ThenRejected")).isEmpty();
        assertThat(idsNamedBy("ofWhenEcCurveIsNotP256ThenRejectedNamingTheCurve")).isEmpty();
        assertThat(idsNamedBy("throwWhenArrowKeysPressed")).isEmpty();
    }

    static Set<String> idsNamedBy(String methodName) {
        Set<String> ids = new LinkedHashSet<>();
        NAME_ALIAS.matcher(methodName).results().forEach(r -> ids.add("REQ-" + r.group(1) + "-" + r.group(2)));
        String withoutAliases = NAME_ALIAS.matcher(methodName).replaceAll("_");
        NAME_ID.matcher(withoutAliases).results().forEach(r -> ids.add(r.group(1) + r.group(2)));
        NAME_ROW.matcher(withoutAliases).results()
                .forEach(r -> ids.add(String.format(Locale.ROOT, "S%02d", Integer.parseInt(r.group(1)))));
        return ids;
    }

    private static Map<Character, Integer> families() {
        Map<Character, Integer> f = new LinkedHashMap<>();
        f.put('D', 44); // RFC 8628
        f.put('O', 18); // RFC 6749 where it binds the device endpoints
        f.put('M', 8);  // RFC 8414
        f.put('B', 11); // RFC 9700
        f.put('X', 6);  // cross-device BCP
        f.put('C', 7);  // OpenID Connect
        f.put('R', 8);  // refresh: R01–R06 of the checklist, R07–R08 the device's side
        f.put('V', 4);  // revocation: V01–V03 of the checklist, V04 the device's side
        f.put('I', 3);  // introspection
        f.put('P', 5);  // DPoP
        f.put('S', 29); // threats
        return f;
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        String[] lines = document.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("|") && line.endsWith("|") && !line.matches("\\|[-:| ]+\\|")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1, line.length() - 1).split("\\|", -1)) {
                    cells.add(cell.strip());
                }
                rows.add(new Row(i + 1, cells));
            }
        }
        return rows;
    }

    private static int lineOf(int offset) {
        return (int) document.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Every test method of the repository, from the sources (see the class comment for which). */
    private static List<TestMethod> testMethods() throws IOException {
        Map<List<Path>, String> sourceRoots = new LinkedHashMap<>();
        for (Path module : Repository.modules()) {
            String name = module.getFileName().toString();
            sourceRoots.put(Repository.javaFiles(module, "src/test/java"), name);
            if (name.endsWith("-tck")) {
                sourceRoots.put(Repository.javaFiles(module, "src/main/java"), name);
            }
        }
        List<TestMethod> found = new ArrayList<>();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            for (Map.Entry<List<Path>, String> root : sourceRoots.entrySet()) {
                List<Path> sources = root.getKey();
                if (sources.isEmpty()) {
                    continue;
                }
                Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
                JavacTask task = (JavacTask) compiler.getTask(null, files, null, List.of("-proc:none"), null, units);
                for (CompilationUnitTree unit : task.parse()) {
                    String fileName = Path.of(unit.getSourceFile().toUri()).getFileName().toString();
                    String fileClass = fileName.substring(0, fileName.length() - ".java".length());
                    collectTests(unit, root.getValue(), fileClass, found);
                }
            }
        }
        assertThat(found).as("test methods found in the repository").hasSizeGreaterThan(500);
        return found;
    }

    private static void collectTests(CompilationUnitTree unit, String module, String fileClass, List<TestMethod> into) {
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethod(MethodTree method, Void unused) {
                for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
                    if (TEST_ANNOTATIONS.contains(simpleName(annotation.getAnnotationType()))) {
                        into.add(new TestMethod(module, fileClass, method.getName().toString()));
                        break;
                    }
                }
                return super.visitMethod(method, unused);
            }
        }.scan(unit, null);
    }

    private static String simpleName(Tree type) {
        if (type instanceof IdentifierTree id) {
            return id.getName().toString();
        }
        if (type instanceof MemberSelectTree select) {
            return select.getIdentifier().toString();
        }
        return type.toString();
    }
}
