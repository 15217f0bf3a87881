package dev.procurator.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.procurator.common.process.Executables;

/**
 * A real headless Chromium for a dashboard test, a fresh one (with its own profile) for every test method:
 * {@code @RegisterExtension HeadlessChromium chromium = new HeadlessChromium();} on a test class marked
 * {@code @RequiresTool({"chromium", "chromedriver"})}, then {@code chromium.browser()}. The module's test classpath
 * provides Selenium ({@code selenium-chrome-driver}, test scope).
 */
public class HeadlessChromium implements BeforeEachCallback, AfterEachCallback {

    private Path profile;
    private WebDriver browser;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(tool("chromium").toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(tool("chromedriver").toFile()).build();
        browser = new ChromeDriver(driver, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    public WebDriver browser() {
        return browser;
    }

    /**
     * Polls the page until {@code condition} holds; an exception in between (an element replaced by a live refresh)
     * counts as "not yet". Fails with the page's {@code <main>} text when time runs out.
     */
    public void waitUpTo(int seconds, Predicate<WebDriver> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.test(browser)) {
                    return;
                }
            } catch (RuntimeException notYet) {
                last = notYet;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not true within " + seconds + " s on " + browser.getCurrentUrl()
                + ":\n" + browser.findElement(By.tagName("main")).getText(), last);
    }

    private static Path tool(String name) {
        return Executables.find(name).orElseThrow(() -> new IllegalStateException(
                name + " is not on PATH; mark the test @RequiresTool({\"chromium\", \"chromedriver\"})"));
    }
}
