package dev.procurator.ci.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import dev.procurator.ci.support.CiInstance;
import dev.procurator.ci.support.DiskForge;
import dev.procurator.ci.support.RecordingMaster;
import dev.procurator.common.testing.ClusterFlake;
import dev.procurator.common.testing.HeadlessChromium;
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

    @RegisterExtension
    HeadlessChromium chromium = new HeadlessChromium();

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

    @Test
    void aPushIsFollowedLiveFromTheListToItsStepsLogAndClosures() {
        WebDriver browser = chromium.browser();
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
        chromium.waitUpTo(10, b -> b.findElements(By.cssSelector("#pipeline-rows tr[data-pipeline]")).size() == 1);
        String row = browser.findElement(By.cssSelector("#pipeline-rows tr[data-pipeline]")).getText();
        assertThat(row).contains("alice/shop").contains("main").contains(commit.substring(0, 10));

        browser.findElement(By.cssSelector("#pipeline-rows tr[data-pipeline] a")).click();
        chromium.waitUpTo(10, b -> b.getTitle().startsWith("Pipeline "));
        assertThat(browser.getTitle()).endsWith(" · CI");
        chromium.waitUpTo(10, b -> b.findElement(By.id("pipeline-status")).getText().equals("running")
                || b.findElement(By.id("pipeline-status")).getText().equals("queued"));
        assertThat(browser.findElement(By.id("commit")).getText()).isEqualTo(commit);

        // The slow step's log arrives while the step still runs (Server-Sent Events); the page follows each step.
        chromium.waitUpTo(30, b -> b.findElement(By.id("log-text")).getText().contains("check-42"));
        assertThat(browser.findElement(By.id("log-step")).getText()).isEqualTo("ci.checks.slow");
        assertThat(browser.findElement(By.id("log-text")).getText()).doesNotContain("finished-2");
        assertThat(browser.findElement(By.id("pipeline-status")).getText()).isEqualTo("running");

        // The page follows the pipeline to its end: status, every step, and the closures that changed.
        chromium.waitUpTo(60, b -> b.findElement(By.id("pipeline-status")).getText().equals("succeeded"));
        assertThat(browser.findElement(By.id("steps")).getText()).contains("fetch", "flake-check", "ci.checks.slow",
                "evaluate", "build", "changes", "push", "artifact", "publish");
        chromium.waitUpTo(10, b -> !b.findElements(By.id("closures")).isEmpty());
        String closures = browser.findElement(By.id("closures")).getText();
        assertThat(closures).contains("web").contains("db").contains("-nixos-system-web").contains("added");

        // The page went on to the last step's log; a click on a step shows that step's whole log.
        chromium.waitUpTo(10, b -> b.findElement(By.id("log-step")).getText().equals("publish")
                && b.findElement(By.id("log-text")).getText().contains("generation 1 stored"));
        browser.findElement(By.cssSelector(".step-link[data-step='ci.checks.slow']")).click();
        chromium.waitUpTo(10, b -> b.findElement(By.id("log-text")).getText().contains("finished-2"));
        assertThat(browser.findElement(By.id("log-text")).getText()).contains("check-42");
        browser.findElement(By.cssSelector(".step-link[data-step='build']")).click();
        chromium.waitUpTo(10, b -> b.findElement(By.id("log-text")).getText().contains("web => /nix/store/"));

        browser.get(ci.url() + "/");
        String finished = browser.findElement(By.cssSelector("#pipeline-rows tr[data-pipeline]")).getText();
        assertThat(finished).contains("succeeded").contains("db, web");
        assertThat(browser.findElement(By.cssSelector("#pipeline-rows .badge.success")).getCssValue("color"))
                .isEqualTo("rgba(31, 157, 85, 1)");
    }
}
