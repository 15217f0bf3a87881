package dev.procurator.ci.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.procurator.ci.support.CiInstance;
import dev.procurator.ci.support.DiskForge;
import dev.procurator.ci.support.RecordingMaster;
import dev.procurator.common.testing.ClusterFlake;
import dev.procurator.common.testing.RequiresTool;

/**
 * The dashboard as a person watches a push go through, in real headless Chromium: the pipeline appears in the list
 * and changes status without a reload, its page streams the running step's log live, then shows the closures and
 * which VMs changed.
 */
@RequiresTool({"chromium", "chromedriver", "nix", "git"})
class DashboardBrowserIT {

    private static final String SECRET = "dashboard-it-secret";

    @TempDir
    static Path root;

    private static RecordingMaster master;
    private static DiskForge forge;
    private static CiInstance ci;

    private WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        master = new RecordingMaster();
        forge = new DiskForge(root);
        ci = CiInstance.start(Map.of("procurator.data-dir", root.resolve("ci").toString(),
                "procurator.admin-token", "pcr_dashboard-" + UUID.randomUUID(),
                "procurator.forge-url", forge.url(), "procurator.cache-url", "file://" + root.resolve("cache"),
                "procurator.control-plane-rpc", master.address(), "procurator.ci.webhook-secret", SECRET));
    }

    @AfterAll
    static void stop() {
        if (ci != null) {
            ci.close();
        }
        master.close();
    }

    @BeforeEach
    void openBrowser(@TempDir Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(driver, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Polls the page until the condition holds (elements may be replaced by the live refresh in between). */
    private Waiting waitUpTo(int seconds) {
        return condition -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            RuntimeException last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (condition.test(browser)) {
                        return;
                    }
                } catch (RuntimeException stale) {
                    last = stale;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new AssertionError("not true within " + seconds + " s on " + browser.getCurrentUrl() + ":\n"
                    + browser.findElement(By.tagName("main")).getText(), last);
        };
    }

    @FunctionalInterface
    private interface Waiting {
        void until(Predicate<WebDriver> condition);
    }

    @Test
    void aPushIsFollowedLiveFromTheListToItsStepsLogAndClosures() {
        browser.get(ci.url() + "/");
        assertThat(browser.getTitle()).isEqualTo("CI");
        assertThat(browser.findElement(By.id("pipeline-rows")).getText()).contains("No pipeline yet");

        String commit = forge.push("alice/shop", "main", ClusterFlake.fromModuleDir().vm("web", "", "v1")
                .vm("db", "", "v1").ci("""
                        { checks = [ { name = "slow";
                          command = "echo check-$((40 + 2)); sleep 4; echo finished-$((1 + 1))"; } ]; }"""),
                "a cluster");
        forge.deliverPush(ci.url(), SECRET, "alice/shop", "main", commit);

        // The list refreshes by itself: the pipeline shows up without a reload.
        waitUpTo(10).until(b -> b.findElements(By.cssSelector("#pipeline-rows tr[data-pipeline]")).size() == 1);
        String row = browser.findElement(By.cssSelector("#pipeline-rows tr[data-pipeline]")).getText();
        assertThat(row).contains("alice/shop").contains("main").contains(commit.substring(0, 10));

        browser.findElement(By.cssSelector("#pipeline-rows tr[data-pipeline] a")).click();
        waitUpTo(10).until(b -> b.findElement(By.id("pipeline-status")).getText().equals("running")
                || b.findElement(By.id("pipeline-status")).getText().equals("queued"));
        assertThat(browser.findElement(By.id("commit")).getText()).isEqualTo(commit);

        // The slow step's log arrives while the step still runs (Server-Sent Events); the page follows each step.
        waitUpTo(30).until(b -> b.findElement(By.id("log-text")).getText().contains("check-42"));
        assertThat(browser.findElement(By.id("log-step")).getText()).isEqualTo("ci.checks.slow");
        assertThat(browser.findElement(By.id("log-text")).getText()).doesNotContain("finished-2");
        assertThat(browser.findElement(By.id("pipeline-status")).getText()).isEqualTo("running");

        // The page follows the pipeline to its end: status, every step, and the closures that changed.
        waitUpTo(60).until(b -> b.findElement(By.id("pipeline-status")).getText().equals("succeeded"));
        assertThat(browser.findElement(By.id("steps")).getText()).contains("fetch", "flake-check", "ci.checks.slow",
                "evaluate", "build", "changes", "push", "artifact", "publish");
        waitUpTo(10).until(b -> !b.findElements(By.id("closures")).isEmpty());
        String closures = browser.findElement(By.id("closures")).getText();
        assertThat(closures).contains("web").contains("db").contains("-nixos-system-web").contains("added");

        // The page went on to the last step's log; a click on a step shows that step's whole log.
        waitUpTo(10).until(b -> b.findElement(By.id("log-step")).getText().equals("publish")
                && b.findElement(By.id("log-text")).getText().contains("generation 1 stored"));
        browser.findElement(By.cssSelector(".step-link[data-step='ci.checks.slow']")).click();
        waitUpTo(10).until(b -> b.findElement(By.id("log-text")).getText().contains("finished-2"));
        assertThat(browser.findElement(By.id("log-text")).getText()).contains("check-42");
        browser.findElement(By.cssSelector(".step-link[data-step='build']")).click();
        waitUpTo(10).until(b -> b.findElement(By.id("log-text")).getText().contains("web => /nix/store/"));

        browser.get(ci.url() + "/");
        String finished = browser.findElement(By.cssSelector("#pipeline-rows tr[data-pipeline]")).getText();
        assertThat(finished).contains("succeeded").contains("db, web");
        assertThat(browser.findElement(By.cssSelector("#pipeline-rows .badge.success")).getCssValue("color"))
                .isEqualTo("rgba(31, 157, 85, 1)");
    }
}
