package org.devicegrant.examples;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Debian's Chromium in headless mode, driven through Debian's chromedriver. Both paths are
 * given explicitly so Selenium Manager never looks for (or downloads) a browser or a driver,
 * and the browser resolves no host name but {@code localhost}: its traffic stays on loopback.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String REQUIRE_SERVICES = "DEVICEGRANT_REQUIRE_SERVICES";
    static final Duration PAGE_LOAD_LIMIT = Duration.ofSeconds(20);
    /**
     * Selenium warns on every start when Debian's Chromium is newer than the DevTools versions it
     * bundles; these tests use WebDriver only, never DevTools. Held here so the level sticks.
     */
    private static final Logger CDP_VERSION_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private HeadlessChromium() {
    }

    /** What is missing to run a browser test, or an empty list when both binaries are there. */
    static List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                missing.add(binary.toString());
            }
        }
        return missing;
    }

    /** Whether CI asked that tests needing outside programs fail instead of skipping. */
    static boolean required() {
        return "1".equals(System.getenv(REQUIRE_SERVICES));
    }

    /** A new browser with a fresh profile in {@code userDataDir}; the caller quits it. */
    static ChromeDriver start(Path userDataDir) {
        CDP_VERSION_LOG.setLevel(Level.SEVERE);
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + userDataDir.toAbsolutePath(), "--window-size=900,1200",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD_LIMIT);
        return driver;
    }
}
