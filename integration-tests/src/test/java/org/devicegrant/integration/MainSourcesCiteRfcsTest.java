package org.devicegrant.integration;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Product code explains itself by RFC section, never by the IDs of a checklist or threat list: a
 * reader of the jar's sources has the RFCs, not our working documents. Test code may name the IDs
 * that {@code docs/compliance.md} defines. Scans every module's {@code src/main/java}.
 */
class MainSourcesCiteRfcsTest {

    private static final Path ROOT = Repository.ROOT;

    /** Requirement IDs (D07, O12, M01, B10, C02, X05, R01, V01, I01, P01, S13), "SECURITY-TESTS", "REQ-…", "row 13". */
    static final Pattern WORKING_DOCUMENT_ID = Pattern.compile(
            "SECURITY-TESTS|REQ-[A-Z]|\\brow \\d+|\\b(?:D[0-4]\\d|O[01]\\d|M0\\d|B[01]\\d|C0\\d|X0\\d|R0\\d|V0\\d|I0\\d|P0\\d|S[0-2]\\d)\\b");

    @Test
    void mainSourcesCiteNoChecklistOrThreatIds() {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (Path source : mainSources()) {
            files++;
            List<String> lines = read(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = WORKING_DOCUMENT_ID.matcher(lines.get(i));
                if (m.find()) {
                    found.add(ROOT.relativize(source) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(files).as("main source files found under %s", ROOT).isGreaterThan(100);
        assertThat(found).as("main source lines citing working-document IDs instead of RFC sections").isEmpty();
    }

    @Test
    void patternCatchesTheShapesItIsFor() {
        assertThat(List.of("// D27 RFC 8628 §3.5", "(SECURITY-TESTS row 13)", "see REQ-UC-4", "(O12)", "S13: unknown code"))
                .allMatch(line -> WORKING_DOCUMENT_ID.matcher(line).find());
        assertThat(List.of("// RFC 8628 §3.5: slow_down", "EcP384 key", "ES256", "HS256", "P-256", "HTTP 400", "IPv6 [::1]"))
                .noneMatch(line -> WORKING_DOCUMENT_ID.matcher(line).find());
    }

    private static List<Path> mainSources() {
        return Repository.modules().stream().flatMap(m -> Repository.javaFiles(m, "src/main/java").stream()).toList();
    }

    private static List<String> read(Path source) {
        try {
            return Files.readAllLines(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
