package dev.procurator.e2e.controlplane;

import static dev.procurator.e2e.controlplane.Publisher.closure;
import static dev.procurator.e2e.controlplane.RunningControlPlane.allHealthyOn;
import static dev.procurator.e2e.controlplane.RunningControlPlane.rolloutOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.WebElement;

import dev.procurator.common.testing.HeadlessChromium;
import dev.procurator.common.testing.RequiresTool;

/**
 * The control plane's dashboard as an operator watches it, in real headless Chromium against the real jar with a
 * simulated worker over Cap'n Proto: workers with their capacity, replicas with health, a canary rollout arriving
 * live (Server-Sent Events, no reload) and paused after its canary, and promoted with the admin token.
 */
@RequiresTool({"chromium", "chromedriver"})
class ControlPlaneDashboardIT {

    private static final String ADMIN = "pcr_cp-dashboard-it-" + UUID.randomUUID();
    private static final String WEB_1 = closure("a", "web");
    private static final String WEB_2 = closure("b", "web");

    @TempDir
    static Path root;

    private static RunningControlPlane controlPlane;

    @RegisterExtension
    final HeadlessChromium chromium = new HeadlessChromium();

    @BeforeAll
    static void startCluster() throws Exception {
        controlPlane = RunningControlPlane.start(root.resolve("control-plane"), ADMIN);
        controlPlane.addWorker("w1", 4, 8192);
        controlPlane.publish("1111111111aaaaaaaaaabbbbbbbbbbcccccccccc", Publisher.Vm.canary("web", 2, WEB_1, 1));
        controlPlane.awaitCluster("web running healthy", Duration.ofSeconds(60), c -> allHealthyOn(c, "web", 2, WEB_1));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void anOperatorWatchesACanaryArriveLiveAndPromotesIt() throws Exception {
        chromium.browser().get(controlPlane.url() + "/");
        assertThat(chromium.browser().getTitle()).isEqualTo("Control plane");

        // Workers with their capacity: two replicas of 0.5 CPU and 256 MiB on a 4-CPU, 8 GiB worker.
        chromium.waitUpTo(15, b -> text("#workers tr[data-worker='w1']").contains("ready"));
        String worker = text("#workers tr[data-worker='w1']");
        assertThat(worker).contains("w1.test").contains("1 / 4 CPU").contains("512 / 8192 MiB");
        assertThat(page().executeScript("return document.querySelector("
                + "\"#workers tr[data-worker='w1'] .bar span\").style.width;")).isEqualTo("25%");

        // The source and each replica, desired against observed, with health.
        assertThat(text("#sources")).contains("alice/shop").contains("main").contains("1111111111");
        for (String replica : new String[] {"web.0", "web.1"}) {
            String row = text("#vms tr[data-replica='" + replica + "']");
            assertThat(row).contains("running").contains("healthy").contains("aaaaaaaa").doesNotContain("≠");
        }

        // A new generation: the canary rollout and its events arrive, signalled over the live stream (Server-Sent
        // Events: only its handler sets lastSignal), without a reload of the page.
        chromium.waitUpTo(10, b -> b.findElement(By.id("live-state")).getText().equals("live"));
        long signalBefore = lastSignal();
        long newestEventBefore = newestEvent();
        page().executeScript("window.notReloaded = true;");
        controlPlane.publish("2222222222aaaaaaaaaabbbbbbbbbbcccccccccc", Publisher.Vm.canary("web", 2, WEB_2, 1));
        chromium.waitUpTo(30, b -> rolloutState("web").equals("paused"));
        assertThat(page().executeScript("return window.notReloaded === true;")).isEqualTo(true);
        assertThat(lastSignal()).isGreaterThan(signalBefore);
        assertThat(newestEvent()).isGreaterThan(newestEventBefore);
        assertThat(text("#events")).contains("generation 2");
        String rollout = text("#rollouts tr[data-vm='web'].active");
        assertThat(rollout).contains("canary").contains("1 → 2").contains("1 healthy · 1 updated · 2 total");
        assertThat(chromium.browser().findElement(By.id("live-state")).getText()).isEqualTo("live");

        // Without the admin token there is nothing to click; a wrong token is refused and changes nothing.
        assertThat(chromium.browser().findElement(By.cssSelector("button.action[data-action='promote']"))
                .isDisplayed()).isFalse();
        useToken("pcr_wrong");
        click("#rollouts tr[data-vm='web'] button.action[data-action='promote']");
        chromium.waitUpTo(10, b -> b.findElement(By.id("action-result")).getText().contains("refused the token"));
        assertThat(chromium.browser().findElement(By.id("admin-login")).isDisplayed()).isTrue();
        assertThat(rolloutOf(controlPlane.cluster(), "web").path("state").asString()).isEqualTo("paused");

        // The admin promotes the paused canary: the rest rolls out and the page follows it to the end.
        useToken(ADMIN);
        click("#rollouts tr[data-vm='web'] button.action[data-action='promote']");
        chromium.waitUpTo(10, b -> b.findElement(By.id("action-result")).getText().startsWith("promote web: rollout"));
        chromium.waitUpTo(60, b -> rolloutState("web").equals("succeeded"));
        assertThat(rolloutOf(controlPlane.cluster(), "web").path("state").asString()).isEqualTo("succeeded");
        // Two replicas of web again (the canary's own id among them), both on the new closure.
        chromium.waitUpTo(30, b -> {
            List<String> web = text("#vms").lines().filter(l -> l.startsWith("web.")).toList();
            return web.size() == 2 && web.stream().allMatch(l -> l.contains("bbbbbbbb") && !l.contains("aaaaaaaa"));
        });
        assertThat(page().executeScript("return window.notReloaded === true;")).isEqualTo(true);
    }

    private void useToken(String token) {
        WebElement input = chromium.browser().findElement(By.id("admin-token"));
        input.clear();
        input.sendKeys(token);
        chromium.browser().findElement(By.cssSelector("#admin-login button[type='submit']")).click();
        chromium.waitUpTo(5, b -> b.findElement(By.cssSelector("button.action[data-action='promote']")).isDisplayed());
    }

    /** Clicks the element, again if the live refresh replaced it between finding and clicking. */
    private void click(String css) {
        chromium.waitUpTo(10, b -> {
            b.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private long lastSignal() {
        Object signal = page().executeScript(
                "return document.getElementById('cluster').dataset.lastSignal || '-1';");
        return Long.parseLong(signal.toString());
    }

    private long newestEvent() {
        Object newest = page().executeScript("return Math.max(0, ...Array.from("
                + "document.querySelectorAll('#events li[data-event]'), li => Number(li.dataset.event)));");
        return ((Number) newest).longValue();
    }

    private String rolloutState(String vm) {
        try {
            return text("#rollouts tr[data-vm='" + vm + "'] .rollout-state");
        } catch (NoSuchElementException none) {
            return "";
        }
    }

    private JavascriptExecutor page() {
        return (JavascriptExecutor) chromium.browser();
    }

    /** The element's visible text, read in one step in the page (the live refresh may replace it any time). */
    private String text(String css) {
        Object text = page().executeScript(
                "const e = document.querySelector(arguments[0]); return e === null ? null : e.innerText;", css);
        if (text == null) {
            throw new NoSuchElementException(css);
        }
        return text.toString();
    }
}
