package dev.procurator.observability.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.common.testing.HeadlessChromium;
import dev.procurator.common.testing.RequiresTool;

/** The dashboard as a person sees it: rendered by real headless Chromium, with the service's name and health. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RequiresTool({"chromium", "chromedriver"})
class DashboardBrowserIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", dataDir::toString);
    }

    @LocalServerPort
    int port;

    @RegisterExtension
    HeadlessChromium chromium = new HeadlessChromium();

    @Test
    void showsTheServiceNameAndItsHealth() throws Exception {
        WebDriver browser = chromium.browser();
        browser.get("http://127.0.0.1:" + port + "/");

        assertThat(browser.getTitle()).isEqualTo("Observability");
        assertThat(browser.findElement(By.cssSelector(".service-name")).getText()).isEqualTo("Observability");
        assertThat(browser.findElement(By.id("service-health")).getText()).isEqualTo("UP");
        assertThat(browser.findElement(By.id("health-components")).getText()).contains("db", "UP");
        assertThat(browser.findElements(By.cssSelector("nav.peers a"))).extracting(e -> e.getText())
                .contains("forge", "ci-service", "cache-service", "control-plane", "worker-agent",
                        "secret-manager", "observability");

        // The layout's stylesheet is served and applied: the health badge is green, not default black.
        String colour = browser.findElement(By.id("service-health")).getCssValue("color");
        assertThat(colour).isEqualTo("rgba(31, 157, 85, 1)");

        byte[] screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "dashboard.png"), screenshot);
        assertThat(screenshot.length).isGreaterThan(1000);
    }
}
