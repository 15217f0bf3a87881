package dev.procurator.e2e.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.RequiresTool;
import dev.procurator.e2e.ServiceJar;

/**
 * {@code procurator up --demo} as the README tells a new user to run it (here with the five services the demo needs):
 * it reports the push's way through pipeline, cache, generation, placement, boot and health, ends with the demo
 * cluster healthy and the VMs' own URLs, which answer; SIGTERM (Ctrl-C) stops the platform and the demo's VMs.
 */
@RequiresTool({"nix", "git", "qemu-system-x86_64"})
class DemoIT {

    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(10);
    private static final Pattern VM_URL = Pattern.compile("^\\s+(web|api)/\\d+\\s+(http://127\\.0\\.0\\.1:\\d+/)");

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process up;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theDemoPushesTheExampleAndShowsItHealthyThenStopsItsVms() throws Exception {
        int base = ServiceJar.freeBasePort();
        up = new ProcessBuilder(ServiceJar.java(), "-jar", ServiceJar.REPO.resolve("cli/target/cli.jar").toString(),
                "up", "--demo", "--only", "forge,ci-service,cache-service,control-plane,worker-agent",
                "--data-dir", dataDir.toString(), "--base-port", Integer.toString(base), "--timeout", "480",
                "--no-color").redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().start(this::collectOutput);

        if (!done.await(HEALTHY_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            fail("the demo did not report a healthy cluster within " + HEALTHY_WITHIN + ":\n" + lastLines(60));
        }
        String said = String.join("\n", output);
        assertThat(said).as(said).contains("created repository admin/demo on the forge")
                .contains("connected admin/demo to the CI").contains("pushed ")
                .containsPattern("pipeline #1 for commit [0-9a-f]{7}")
                .contains("build succeeded").contains("push succeeded").contains("pipeline #1 is green")
                .contains("closures in the cache: api, web").contains("generation 1 published")
                .contains("web/0 placed on worker").contains("web/1 booted").contains("api/0 healthy")
                .contains("the demo cluster is healthy");
        Thread.sleep(1000);   // the summary follows the last progress line
        List<String> urls = new ArrayList<>();
        for (String line : output) {
            Matcher url = VM_URL.matcher(line);
            if (url.find()) {
                urls.add(url.group(2));
            }
        }
        assertThat(urls).as("each replica's URL:\n" + lastLines(20)).hasSize(3);
        for (String url : urls) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "health")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok\n");
        }
        List<Long> vms = qemuOf(dataDir);
        assertThat(vms).hasSize(3);

        assertThat(up.toHandle().destroy()).isTrue();   // SIGTERM, as Ctrl-C's shutdown hook sees it
        assertThat(up.waitFor(2, TimeUnit.MINUTES)).as(lastLines(20)).isTrue();
        assertThat(output).anyMatch(line -> line.contains("all services stopped"));
        assertThat(vms).as("the demo's VMs stop with it").noneMatch(pid -> ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive).orElse(false));
    }

    @AfterEach
    void killWhatIsLeft() {
        if (up != null && up.isAlive()) {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
        for (long pid : qemuOf(dataDir)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The QEMU processes whose command line names this data dir (the demo's worker's VMs). */
    private static List<Long> qemuOf(Path dataDir) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                        .map(line -> line.contains("qemu-system") && line.contains(dataDir.toString())).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private void collectOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(up.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                System.out.println("[DemoIT] " + line);
                if (line.contains("the demo cluster is healthy") || line.contains("services stopped")) {
                    done.countDown();
                }
            }
        } catch (IOException e) {
            output.add("[DemoIT] output closed: " + e);
        }
    }

    private String lastLines(int count) {
        List<String> lines = new ArrayList<>(output);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
