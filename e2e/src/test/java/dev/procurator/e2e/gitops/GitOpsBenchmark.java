package dev.procurator.e2e.gitops;

import static dev.procurator.e2e.gitops.GitOpsPlatform.replicas;
import static dev.procurator.e2e.gitops.GitOpsPlatform.settled;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.e2e.ServiceJar;
import tools.jackson.databind.JsonNode;

/**
 * Push → every replica healthy, for the example with its closures cached: each round changes the {@code web} VM (a
 * new body: one small closure to build and push) and leaves {@code api} as it is, and the time from {@code git push}
 * to the moment the control plane shows both web replicas on the new closure and healthy is measured, with its stages
 * read from the services' own APIs (the CI's pipeline and steps, the control plane's events, the agent's boot
 * timings). In the same run, {@code e2e/bench/by-hand.sh} brings the same VM up without the platform (build, copy,
 * qemu, curl) as the reference. Not a test: run it with {@code e2e/bench/run.sh}.
 */
@RequiresTool({"nix", "git", "qemu-system-x86_64"})
class GitOpsBenchmark {

    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final int WEB_REPLICAS = 2;
    /** The example's web strategy: each new replica must stay healthy this long before the next is replaced. */
    private static final long MIN_HEALTHY_MS = 2000;

    @TempDir
    Path home;

    record Round(Map<String, Long> stages, Map<String, Long> byHand) {
    }

    @Test
    void pushToHealthy() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 5);
        try (GitOpsPlatform platform = GitOpsPlatform.start(home, new GitOpsPlatform.Options(1, 1, null))) {
            String first = platform.pushExample();
            platform.awaitGreenPipeline(first, WAIT);
            platform.awaitCluster("the example healthy", GitOpsPlatform::settled, WAIT);
            System.out.println("first push healthy (builds the kernel and base initrd, boots 3 VMs); " + rounds
                    + " rounds follow");
            List<Round> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Round result = round(platform, round);
                results.add(result);
                System.out.printf(Locale.ROOT, "round %d: push -> healthy %d ms (by hand %d ms)%n", round,
                        result.stages().get("total"), result.byHand().get("total"));
            }
            print(results, rounds);
        }
    }

    private Round round(GitOpsPlatform platform, int round) throws Exception {
        long lastEvent = lastEventId(platform);
        long t0 = System.currentTimeMillis();
        String commit = platform.pushEdit("web: round " + round, flake -> flake.replaceFirst(
                "hello from web, [^\"]*\"", "hello from web, round " + round + "\""));
        JsonNode pipeline = platform.awaitGreenPipeline(commit, WAIT);
        String web = pipeline.path("closures").path("web").asString();
        platform.awaitCluster("web on round " + round, c -> settled(c) && replicas(c, "web").stream()
                .allMatch(r -> r.path("observedClosure").asString().equals(web)), WAIT);
        long healthy = System.currentTimeMillis();

        Map<String, Long> stages = new LinkedHashMap<>();
        long queued = millis(pipeline.path("createdAt"));
        JsonNode publish = step(pipeline, "publish");
        stages.put("git push + webhook (push -> pipeline queued)", queued - t0);
        stages.put("pipeline before publish (fetch .. artifact)", millis(publish.path("startedAt")) - queued);
        stages.put("  of which nix flake check + eval + build", duration(pipeline, "flake-check")
                + duration(pipeline, "evaluate") + duration(pipeline, "build"));
        stages.put("  of which cache push (nix copy)", duration(pipeline, "push"));
        List<JsonNode> events = new ArrayList<>();
        platform.api("GET", platform.controlPlanes.get(0).jar().url + "/api/v1/events?since=" + lastEvent, null)
                .forEach(events::add);
        long published = at(events, "generationPublished", null);
        long started = at(events, "replicaStarted", "web");
        stages.put("publish (publishState -> generation stored)", published - millis(publish.path("startedAt")));
        stages.put("placement (generation -> first replica started)", started - published);
        long guests = 0;
        for (JsonNode vm : platform.workerVms("worker-1")) {
            if (vm.path("name").asString().equals("web")) {
                JsonNode timings = vm.path("timings");
                String replica = "  web/" + vm.path("replica").asInt();
                stages.put(replica + " fetch", timings.path("fetch").asLong());
                stages.put(replica + " boot (VMM start + guest boot)", timings.path("vmmStart").asLong()
                        + timings.path("guestBoot").asLong());
                stages.put(replica + " first green check", timings.path("firstGreen").asLong());
                guests += timings.path("vmmStart").asLong() + timings.path("guestBoot").asLong()
                        + timings.path("firstGreen").asLong();
            }
        }
        stages.put("rollout (first replica started -> all healthy, one at a time)", healthy - started);
        stages.put("total", healthy - t0);
        stages.put("everything but the guests (start, boot, first green) and minHealthyTime",
                healthy - t0 - guests - WEB_REPLICAS * MIN_HEALTHY_MS);
        return new Round(stages, byHand(platform));
    }

    /** The same VM by hand: by-hand.sh against the pushed commit and the same cache. */
    private Map<String, Long> byHand(GitOpsPlatform platform) throws Exception {
        NixSandbox nix = new NixSandbox(home.resolve("by-hand-nix"));
        Path netrc = home.resolve("by-hand-netrc");
        Files.writeString(netrc, "machine 127.0.0.1\nlogin admin\npassword " + GitOpsPlatform.ADMIN + "\n");
        ProcessBuilder builder = new ProcessBuilder("sh", ServiceJar.REPO.resolve("e2e/bench/by-hand.sh").toString(),
                "git+file://" + home.resolve("work"), platform.cache.url + "/main", "web",
                Integer.toString(WEB_REPLICAS)).redirectErrorStream(true);
        builder.environment().putAll(nix.environment());
        builder.environment().put("NIX_NETRC", netrc.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("by-hand.sh failed:\n" + out);
        }
        Map<String, Long> stages = new LinkedHashMap<>();
        out.lines().filter(line -> line.matches("[a-z]+ \\d+")).forEach(line -> {
            String[] parts = line.split(" ");
            stages.put(parts[0], Long.parseLong(parts[1]));
        });
        return stages;
    }

    private static void print(List<Round> rounds, int count) {
        System.out.printf(Locale.ROOT, "%npush -> all replicas healthy (web changed, api unchanged; median of %d rounds,"
                + " min-max)%n", count);
        for (String stage : rounds.get(0).stages().keySet()) {
            System.out.printf(Locale.ROOT, "  %-66s %7d ms  (%d-%d)%n", stage,
                    median(rounds.stream().map(r -> r.stages().get(stage)).toList()),
                    rounds.stream().mapToLong(r -> r.stages().get(stage)).min().orElse(0),
                    rounds.stream().mapToLong(r -> r.stages().get(stage)).max().orElse(0));
        }
        System.out.printf(Locale.ROOT, "%nthe same VM by hand (e2e/bench/by-hand.sh, both replicas at once), median%n");
        for (String stage : rounds.get(0).byHand().keySet()) {
            System.out.printf(Locale.ROOT, "  %-66s %7d ms%n", stage,
                    median(rounds.stream().map(r -> r.byHand().get(stage)).toList()));
        }
        long platform = median(rounds.stream().map(r -> r.stages().get("total")).toList());
        long byHand = median(rounds.stream().map(r -> r.byHand().get("total")).toList());
        System.out.printf(Locale.ROOT, "%nplatform / by hand: %.2fx (p50 %.1f s vs %.1f s; target p50 <= 10 s)%n",
                (double) platform / byHand, platform / 1000.0, byHand / 1000.0);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long lastEventId(GitOpsPlatform platform) throws Exception {
        long last = 0;
        for (JsonNode event : platform.api("GET", platform.controlPlanes.get(0).jar().url + "/api/v1/events?since=0",
                null)) {
            last = Math.max(last, event.path("id").asLong());
        }
        return last;
    }

    /** The first event of a kind (for a VM), epoch millis. */
    private static long at(List<JsonNode> events, String kind, String vm) {
        return events.stream().filter(e -> e.path("kind").asString().equals(kind)
                        && (vm == null || e.path("vm").asString().equals(vm)))
                .mapToLong(e -> millis(e.path("at"))).min()
                .orElseThrow(() -> new AssertionError("no " + kind + " event" + (vm == null ? "" : " for " + vm)
                        + " in " + events));
    }

    private static JsonNode step(JsonNode pipeline, String name) {
        for (JsonNode step : pipeline.path("steps")) {
            if (step.path("name").asString().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + pipeline);
    }

    private static long duration(JsonNode pipeline, String name) {
        return step(pipeline, name).path("durationMs").asLong();
    }

    private static long millis(JsonNode isoTime) {
        return Instant.parse(isoTime.asString()).toEpochMilli();
    }
}
