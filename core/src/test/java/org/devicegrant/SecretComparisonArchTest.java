package org.devicegrant;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.devicegrant.clientauth.ClientSecret;
import org.devicegrant.code.CodeHasher;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * SECURITY-TESTS row 15 (REQ-ST-4): secrets are compared in constant time.
 *
 * <p>How the design keeps this small: raw device and user codes are never compared at all. They
 * are hashed (SHA-256, HMAC-SHA-256) and the hash is looked up by index, so timing can at most
 * tell an attacker something about the hash of their own guess. The only secrets compared are
 * client secrets ({@link ClientSecret}), which must go through {@link MessageDigest#isEqual}; neither
 * they nor {@link CodeHasher} may ever compare through {@code equals}.
 */
class SecretComparisonArchTest {

    /** core's own main classes only: importing by package would scan every jar on the test classpath. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes"));

    @Test
    void secretHandlingClassesNeverCompareWithEquals() {
        ArchRule rule = noClasses()
                .that().areAssignableTo(ClientSecret.class).or().belongToAnyOf(CodeHasher.class)
                .should().callMethod(String.class, "equals", Object.class)
                .orShould().callMethod(String.class, "contentEquals", CharSequence.class)
                .orShould().callMethod(Arrays.class, "equals", byte[].class, byte[].class)
                .orShould().callMethod(Objects.class, "equals", Object.class, Object.class);
        rule.check(MAIN);
    }

    @Test
    void clientSecretsCompareWithMessageDigestIsEqual() {
        classes().that().haveNameMatching(ClientSecret.class.getPackageName() + "\\.Sha256ClientSecret")
                .should().callMethod(MessageDigest.class, "isEqual", byte[].class, byte[].class)
                .check(MAIN);
    }

    @Test
    void noMainClassComparesByteArraysWithArraysEquals() {
        // Arrays.equals(byte[], byte[]) returns at the first difference; the one public-constant
        // comparison (the DER prefix of an Ed25519 public key) uses the range overload instead
        noClasses().should().callMethod(Arrays.class, "equals", byte[].class, byte[].class).check(MAIN);
    }
}
