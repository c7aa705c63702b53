package org.devicegrant.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps README.md's code honest: each example test runs the code between its {@code // NAME:start}
 * and {@code // NAME:end} comments, and README.md must show exactly those lines, less the
 * indentation of the start comment.
 */
class ReadmeExamplesTest {

    private static final Path README = Repository.ROOT.resolve("README.md");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "core/src/test/java/org/devicegrant/EmbedExampleTest.java, embed",
            "http-jdk/src/test/java/org/devicegrant/http/jdk/RefreshExampleTest.java, readme:refresh"})
    @DisplayName("README.md shows exactly the code that the example test runs")
    void readmeWhenExampleTestMarksItsCodeThenShowsExactlyThatCode(String file, String marker) throws IOException {
        List<String> source = Files.readAllLines(Repository.ROOT.resolve(file), StandardCharsets.UTF_8);
        int start = onlyLine(source, "// " + marker + ":start", file);
        int end = onlyLine(source, "// " + marker + ":end", file);
        assertThat(end).as("%s: the end comment follows the start comment", file).isGreaterThan(start + 1);
        String indentation = source.get(start).substring(0, source.get(start).indexOf("//"));

        String shown = source.subList(start + 1, end).stream()
                .map(line -> line.startsWith(indentation) ? line.substring(indentation.length()) : line.strip())
                .collect(Collectors.joining("\n"));

        assertThat(Files.readString(README, StandardCharsets.UTF_8)).as("README.md shows the code of %s", file)
                .contains(shown);
    }

    private static int onlyLine(List<String> source, String comment, String file) {
        List<Integer> found = IntStream.range(0, source.size())
                .filter(i -> source.get(i).strip().equals(comment)).boxed().toList();
        assertThat(found).as("%s: lines that are exactly the comment %s", file, comment).hasSize(1);
        return found.get(0);
    }
}
