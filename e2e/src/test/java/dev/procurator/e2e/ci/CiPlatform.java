package dev.procurator.e2e.ci;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.procurator.ci.support.CiApi;
import dev.procurator.ci.support.GitClones;
import dev.procurator.ci.support.RecordingMaster;
import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.ClusterFlake;
import dev.procurator.common.testing.NixSandbox;
import dev.procurator.e2e.ServiceJar;
import tools.jackson.databind.JsonNode;

/**
 * The CI's real surroundings, as processes: the forge and cache jars, a Cap'n Proto {@code Master} in the test (the
 * control plane's side of {@code publishState}), and the CI jar itself, which can be killed and started again on
 * the same port and data dir. The CI holds tokens of its own for the forge and the cache (created through their
 * APIs), so the test can look for each of them where they must not be.
 */
public final class CiPlatform implements AutoCloseable {

    public static final String ADMIN = "pcr_e2e-ci-admin-" + UUID.randomUUID();
    public static final String WEBHOOK_SECRET = "e2e-webhook-secret-" + UUID.randomUUID();

    private final Path home;
    private final Map<String, String> ciEnv;
    private final int ciPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final GitClones git;
    public final NixSandbox nix;
    public final RecordingMaster master;
    public final ServiceJar forge;
    public ServiceJar cache;
    public ServiceJar ci;
    public final String forgeToken;
    public final String cacheToken;

    private CiPlatform(Path home, Map<String, String> extraCiEnv) throws Exception {
        this.home = home;
        this.nix = new NixSandbox(home.resolve("nix"));
        this.git = new GitClones(home);
        this.master = new RecordingMaster();
        Map<String, String> admin = Map.of("PROCURATOR_ADMIN_TOKEN", ADMIN);
        this.forge = ServiceJar.start("forge", home.resolve("forge"), admin);
        this.cache = ServiceJar.start("cache-service", home.resolve("cache"), admin);
        forge.awaitHealthy(Duration.ofMinutes(2));
        cache.awaitHealthy(Duration.ofMinutes(2));
        this.forgeToken = post(forge.url + "/api/v1/users/admin/tokens", "{\"name\":\"ci\",\"scopes\":[\"write\"]}")
                .path("token").asString();
        this.cacheToken = post(cache.url + "/api/v1/caches/main/tokens", "{\"name\":\"ci\",\"scope\":\"write\"}")
                .path("token").asString();
        this.ciEnv = new HashMap<>(Map.of(
                "PROCURATOR_ADMIN_TOKEN", ADMIN,
                "PROCURATOR_FORGE_URL", forge.url,
                "PROCURATOR_CACHE_URL", cache.url,
                "PROCURATOR_CONTROL_PLANE_RPC", master.address(),
                "PROCURATOR_FORGE_TOKEN", forgeToken,
                "PROCURATOR_CACHE_TOKEN", cacheToken,
                "PROCURATOR_CI_WEBHOOK_SECRET", WEBHOOK_SECRET,
                "PROCURATOR_CI_RETRY_INITIAL", "300ms",
                "PROCURATOR_CI_RETRY_MAX", "2s",
                "PROCURATOR_CI_RETRY_FOR", "90s"));
        this.ciEnv.putAll(extraCiEnv);
        this.ciPort = ServiceJar.freePort();
        startCi();
    }

    /** Forge, cache, Master and CI; {@code ciEnv} adds to (or overrides) the CI's environment. */
    public static CiPlatform start(Path home, Map<String, String> ciEnv) throws Exception {
        return new CiPlatform(home, ciEnv);
    }

    public void startCi() throws Exception {
        ci = ServiceJar.start("ci-service", home.resolve("ci"), ciEnv, ciPort);
        ci.awaitHealthy(Duration.ofMinutes(2));
    }

    public CiApi api() {
        return new CiApi(ci.url, ADMIN);
    }

    /** Stops the cache; {@link #startCache()} brings it back on the same port with its data. */
    public void stopCache() throws InterruptedException {
        cache.close();
    }

    public void startCache() throws Exception {
        cache = ServiceJar.start("cache-service", home.resolve("cache"), Map.of("PROCURATOR_ADMIN_TOKEN", ADMIN),
                cache.port());
        cache.awaitHealthy(Duration.ofMinutes(2));
    }

    /** Creates {@code admin/<name>} on the forge. */
    public String createRepo(String name) throws Exception {
        return post(forge.url + "/api/v1/repos", "{\"name\":\"" + name + "\",\"private\":true}").path("fullName")
                .asString("admin/" + name);
    }

    /** Adds a push hook to {@code url} signed with the CI's secret (what {@code procurator repo connect} does). */
    public void addHook(String repo, String url) throws Exception {
        post(forge.url + "/api/v1/repos/" + repo + "/hooks",
                "{\"url\":\"" + url + "\",\"secret\":\"" + WEBHOOK_SECRET + "\",\"events\":[\"push\"]}");
    }

    /** Writes the flake into a clone of the branch, commits and pushes it to the forge with git; returns the commit. */
    public String push(String repo, String branch, ClusterFlake flake, String message) {
        Path work = clone(repo, branch);
        flake.write(work);
        return git.commitAndPush(work, branch, message);
    }

    public String pushFile(String repo, String branch, String file, String content, String message)
            throws IOException {
        Path work = clone(repo, branch);
        Files.writeString(work.resolve(file), content);
        return git.commitAndPush(work, branch, message);
    }

    public void deleteBranch(String repo, String branch) {
        git.git(clone(repo, branch), "push", "-q", "origin", "--delete", branch);
    }

    /** The newest pipeline of the repository with this commit, once the webhook has queued it. */
    public long awaitPipeline(String repo, String commit, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode pipeline : api().json("/api/v1/pipelines?repo=" + repo)) {
                if (pipeline.path("commit").asString().equals(commit)) {
                    return pipeline.path("id").asLong();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no pipeline of " + repo + " for " + commit + " within " + within);
    }

    /** The forge's commit statuses of a commit, newest first. */
    public JsonNode statuses(String repo, String sha) throws Exception {
        return get(forge.url + "/api/v1/repos/" + repo + "/statuses/" + sha);
    }

    public String cachePublicKey() throws Exception {
        return get(cache.url + "/api/v1/caches/main").path("publicKey").asString();
    }

    /**
     * Copies a closure from the real cache into a fresh store with the real client, signatures required (as a worker
     * substitutes it).
     */
    public ProcessResult copyFromCache(String storePath, Path store) throws Exception {
        return nix.nix(home, "copy", "--from", cache.url + "/main", "--to", store.toString(),
                "--option", "trusted-public-keys", cachePublicKey(), "--option", "require-sigs", "true", storePath);
    }

    /** Runs the {@code procurator} CLI jar against this platform as the admin. */
    public Cli cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ServiceJar.java(), "-jar",
                ServiceJar.REPO.resolve("cli/target/cli.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "cli-out", ".txt");
        Path err = Files.createTempFile(home, "cli-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PROCURATOR_"));
        builder.environment().putAll(Map.of("PROCURATOR_TOKEN", ADMIN, "PROCURATOR_FORGE_URL", forge.url,
                "PROCURATOR_CI_URL", ci.url, "XDG_CONFIG_HOME", home.resolve("cli-config").toString()));
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("procurator " + String.join(" ", args) + " hung");
        }
        return new Cli(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    public record Cli(int exit, String out, String err) {
    }

    /** The forge's signature of a webhook body (GitHub's X-Hub-Signature-256 scheme). */
    public static String sign(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable service : new AutoCloseable[] {ci, cache, forge, master}) {
            if (service != null) {
                service.close();
            }
        }
    }

    private Path clone(String repo, String branch) {
        return git.workTree(repo, branch,
                forge.url.replace("http://", "http://admin:" + ADMIN + "@") + "/" + repo + ".git");
    }

    private JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return CiApi.parse(response.body());
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return CiApi.parse(response.body());
    }
}
