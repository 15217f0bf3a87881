package dev.procurator.cli.up;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.procurator.cli.api.ApiClient;
import dev.procurator.cli.api.CliException;
import dev.procurator.common.config.ServicePorts;
import tools.jackson.databind.JsonNode;

/**
 * {@code procurator up --demo}, once the platform is healthy: creates the repository {@code admin/demo} on the forge,
 * connects it to the CI (the CI's signed webhook), pushes {@code example/} with git, and follows the push through the
 * services' APIs — pipeline steps, closures in the cache, the generation published, each replica placed, booted and
 * healthy — then prints where to look. A second run on the same data directory finds the repository and follows its
 * newest pipeline instead of pushing again.
 */
final class Demo {

    static final String OWNER = "admin";
    static final String NAME = "demo";
    static final String REPO = OWNER + "/" + NAME;
    static final String BRANCH = "main";
    /** Printed when every replica is healthy; scripts and the end-to-end test wait for it. */
    static final String HEALTHY = "the demo cluster is healthy";

    /** Programs the demo's path runs: the CI builds with nix, the agent boots with QEMU, the demo pushes with git. */
    static final List<String> TOOLS = List.of("git", "nix", "qemu-system-x86_64");
    /** The example's builder (and its guests' userland): Debian's busybox-static. */
    static final Path BUSYBOX = Path.of("/bin/busybox");

    /** Gives git the admin token for the push from the environment, so it is on no command line. */
    private static final String CREDENTIAL_HELPER =
            "!f() { test \"$1\" = get && printf 'username=admin\\npassword=%s\\n' \"$PROCURATOR_DEMO_TOKEN\"; }; f";

    private static final Duration FOLLOW_FOR = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(500);

    private final UpSettings settings;
    private final Output output;
    private final String token;
    private final ApiClient forge;
    private final ApiClient ci;
    private final ApiClient controlPlane;
    private final ApiClient worker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Instant pushedAt = Instant.now();

    Demo(UpSettings settings, Output output, String token) {
        this.settings = settings;
        this.output = output;
        this.token = token;
        this.forge = new ApiClient(url(ServicePorts.FORGE), token);
        this.ci = new ApiClient(url(ServicePorts.CI), token);
        this.controlPlane = new ApiClient(url(ServicePorts.CONTROL_PLANE), token);
        this.worker = new ApiClient(url(ServicePorts.WORKER_AGENT), token);
    }

    /**
     * What must be on this machine before the platform starts: the tools, then the guests' kernel (fetched once).
     *
     * @return null when all is there, else what is missing and how to get it
     */
    static String prepare(Path home, Output output) throws IOException, InterruptedException {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> missing = new ArrayList<>(TOOLS.stream().filter(tool -> Stream.of(path.split(":"))
                .noneMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)))).toList());
        if (!Files.isExecutable(BUSYBOX)) {
            missing.add(BUSYBOX.toString());
        }
        if (!missing.isEmpty()) {
            return "the demo needs " + String.join(", ", missing) + ": .ci/run installs them (or "
                    + "apt-get install nix-bin git qemu-system-x86 busybox-static)";
        }
        return GuestKernel.ensure(home, output);
    }

    /** The services the demo talks to that {@code services} lacks. */
    static List<String> missingServices(List<ServiceSpec> services) {
        List<String> running = services.stream().map(ServiceSpec::module).toList();
        return Stream.of(ServicePorts.FORGE, ServicePorts.CI, ServicePorts.CACHE, ServicePorts.CONTROL_PLANE,
                ServicePorts.WORKER_AGENT).map(ServicePorts::module).filter(m -> !running.contains(m)).toList();
    }

    /** What the demo adds to a service's environment: its VMs end with the platform. */
    static Map<String, String> serviceEnvironment(String module) {
        return module.equals(ServicePorts.WORKER_AGENT.module())
                ? Map.of("PROCURATOR_WORKER_STOPVMSONEXIT", "true") : Map.of();
    }

    /** @return true when the example runs healthy; false (said why) when it did not get there */
    boolean run() throws IOException, InterruptedException {
        String commit = null;
        if (repositoryExists()) {
            output.say("repository " + REPO + " exists (an earlier demo on this data directory): following its newest"
                    + " pipeline");
            commit = newestPipelineCommit();
        } else {
            forge.post("/api/v1/repos", Map.of("name", NAME, "private", true));
            output.say("created repository " + REPO + " on the forge");
        }
        connectToCi();
        if (commit == null) {
            commit = pushExample();
        }
        boolean healthy = follow(commit);
        output.raw(summary());
        return healthy;
    }

    private boolean repositoryExists() {
        try {
            forge.get("/api/v1/repos/" + REPO);
            return true;
        } catch (CliException notThere) {
            return false;
        }
    }

    private String newestPipelineCommit() {
        JsonNode pipelines = ci.get("/api/v1/pipelines?repo=" + REPO);
        long newest = -1;
        String commit = null;
        for (JsonNode pipeline : pipelines) {
            if (pipeline.path("id").asLong() > newest) {
                newest = pipeline.path("id").asLong();
                commit = pipeline.path("commit").asString();
            }
        }
        return commit;
    }

    /** The forge delivers the repository's pushes to the CI, signed with the CI's secret (as {@code repo connect}). */
    private void connectToCi() {
        JsonNode hook = ci.get("/api/v1/webhook");
        String url = hook.path("url").asString();
        for (JsonNode existing : forge.get("/api/v1/repos/" + REPO + "/hooks")) {
            if (existing.path("url").asString().equals(url)) {
                return;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("secret", hook.path("secret").asString());
        body.put("events", hook.path("events"));
        forge.post("/api/v1/repos/" + REPO + "/hooks", body);
        output.say("connected " + REPO + " to the CI: its pushes are delivered to " + url + ", signed");
    }

    /** Copies example/ into a fresh git work tree under the data dir, commits it and pushes it with git. */
    private String pushExample() throws IOException, InterruptedException {
        Path example = settings.home().resolve("example");
        Path work = workTree();
        deleteTree(work);
        copyTree(example, work);
        git(work, "init", "-q", "-b", BRANCH);
        git(work, "add", "-A");
        git(work, "-c", "user.name=procurator demo", "-c", "user.email=demo@procurator.invalid", "commit", "-q",
                "-m", "The reference cluster: web (2 replicas, rolling) and api (canary)");
        git(work, "remote", "add", "origin", url(ServicePorts.FORGE) + "/" + REPO + ".git");
        pushedAt = Instant.now();
        git(work, "-c", "credential.helper=", "-c", "credential.helper=" + CREDENTIAL_HELPER, "push", "-q", "origin",
                BRANCH);
        String commit = git(work, "rev-parse", "HEAD").strip();
        output.say("pushed " + example + " to " + REPO + " (" + BRANCH + ", commit " + commit.substring(0, 7) + ")");
        return commit;
    }

    private Path workTree() {
        return settings.dataDir().resolve("demo").resolve("repo");
    }

    /** Polls the CI, the cache and the control plane until every replica is healthy, saying each milestone once. */
    private boolean follow(String commit) throws InterruptedException {
        DemoProgress progress = new DemoProgress(REPO, BRANCH);
        Instant deadline = Instant.now().plus(FOLLOW_FOR);
        JsonNode pipeline = null;
        boolean cached = false;
        String problem = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (pipeline == null || !DemoProgress.finished(pipeline)) {
                    pipeline = pipelineOf(commit);
                    if (pipeline != null) {
                        say(progress.pipeline(pipeline));
                        if (DemoProgress.finished(pipeline) && !DemoProgress.succeeded(pipeline)) {
                            output.say("the example's pipeline did not succeed: see " + pipeline.path("url").asString());
                            return false;
                        }
                    }
                } else {
                    if (!cached && inCache(closures(pipeline))) {
                        say(progress.cached(closures(pipeline)));
                        cached = true;
                    }
                    JsonNode cluster = controlPlane.get("/api/v1/cluster");
                    say(progress.cluster(cluster));
                    if (progress.allHealthy(cluster)) {
                        say(List.of(HEALTHY));
                        return true;
                    }
                }
                problem = null;
            } catch (CliException e) {
                problem = e.getMessage();
            }
            Thread.sleep(POLL.toMillis());
        }
        output.say("the example is not healthy after " + FOLLOW_FOR.toMinutes() + " minutes"
                + (problem == null ? "" : " (last answer: " + problem + ")") + "; see the dashboards below");
        return false;
    }

    private void say(List<String> lines) {
        double seconds = Duration.between(pushedAt, Instant.now()).toMillis() / 1000.0;
        for (String line : lines) {
            output.say(String.format(Locale.ROOT, "[%5.1f s] %s", seconds, line));
        }
    }

    /** The pipeline of the commit with its steps, or null while the webhook has not queued it yet. */
    private JsonNode pipelineOf(String commit) {
        for (JsonNode summary : ci.get("/api/v1/pipelines?repo=" + REPO)) {
            if (summary.path("commit").asString().equals(commit)) {
                return ci.get("/api/v1/pipelines/" + summary.path("id").asLong());
            }
        }
        return null;
    }

    private static List<String> closures(JsonNode pipeline) {
        List<String> closures = new ArrayList<>();
        pipeline.path("closures").forEach(path -> closures.add(path.asString()));
        return closures;
    }

    /** Whether the cache serves every closure's narinfo, as a worker asks for it. */
    private boolean inCache(List<String> closures) throws InterruptedException {
        for (String closure : closures) {
            String hash = closure.substring("/nix/store/".length(), "/nix/store/".length() + 32);
            HttpRequest request = HttpRequest.newBuilder(URI.create(url(ServicePorts.CACHE) + "/main/" + hash
                    + ".narinfo")).timeout(Duration.ofSeconds(10)).build();
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return !closures.isEmpty();
    }

    private String summary() {
        StringBuilder text = new StringBuilder("\n");
        row(text, "cluster", url(ServicePorts.CONTROL_PLANE) + "/", "the control plane: replicas, rollouts, workers");
        row(text, "pipelines", url(ServicePorts.CI) + "/", "the CI: every push, its steps and logs");
        row(text, "repository", url(ServicePorts.FORGE) + "/" + REPO, "the forge: commits and their status");
        try {
            for (JsonNode vm : worker.get("/api/v1/vms")) {
                for (JsonNode port : vm.path("ports")) {
                    row(text, vm.path("name").asString() + "/" + vm.path("replica").asInt(),
                            "http://127.0.0.1:" + port.path("host").asInt() + "/",
                            "the VM itself (guest port " + port.path("guest").asInt() + ")");
                }
            }
        } catch (CliException e) {
            row(text, "VMs", url(ServicePorts.WORKER_AGENT) + "/", "the worker agent (" + e.getMessage() + ")");
        }
        text.append('\n');
        row(text, "change it", "cd " + workTree() + " && $EDITOR flake.nix && git commit -am ... && git push", "");
        row(text, "", "(git's password is the admin token: ./procurator login --token-stdin < "
                + settings.dataDir().resolve("admin-token") + " sets git up)", "");
        row(text, "see it", "./procurator status · ./procurator deploy list · ./procurator deploy promote api", "");
        row(text, "stop", "Ctrl-C (stops the platform and its VMs)", "");
        return text.append('\n').toString();
    }

    private static void row(StringBuilder text, String name, String where, String what) {
        text.append(String.format("  %-12s %s%s%n", name, where, what.isEmpty() ? "" : "   " + what));
    }

    private String url(ServicePorts service) {
        return "http://localhost:" + (settings.basePort() + service.port() - ServiceCatalog.DEFAULT_BASE_PORT);
    }

    private String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("PROCURATOR_DEMO_TOKEN", token);
        Process process = builder.start();
        String out;
        try (var stream = process.getInputStream()) {
            out = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("git " + args[0] + " failed in " + dir + ":\n" + out.strip());
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
