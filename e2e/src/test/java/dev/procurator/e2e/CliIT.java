package dev.procurator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.procurator.common.testing.NixSandbox;
import dev.procurator.common.testing.RequiresTool;

/**
 * The {@code procurator} CLI as a user drives it, against the real forge and cache jars: login saves the token,
 * then repositories, hooks, branch protection, personal tokens and caches are managed with it, and
 * {@code procurator cache push} uploads a real Nix store path through {@code nix copy}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final String ADMIN = "pcr_cli-it-admin-" + UUID.randomUUID();

    @TempDir
    static Path home;

    private static ServiceJar forge;
    private static ServiceJar cache;

    @BeforeAll
    static void startServices() throws Exception {
        Map<String, String> env = Map.of("PROCURATOR_ADMIN_TOKEN", ADMIN);
        forge = ServiceJar.start("forge", home.resolve("forge"), env);
        cache = ServiceJar.start("cache-service", home.resolve("cache"), env);
        forge.awaitHealthy(Duration.ofMinutes(2));
        cache.awaitHealthy(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (forge != null) {
            forge.close();
        }
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    @Order(1)
    void loginChecksTheTokenAndSavesItPrivately() throws Exception {
        Result wrong = withInput("pcr_wrong\n", "login", "--token-stdin", "--forge-url", forge.url);
        assertThat(wrong.exit).isEqualTo(1);
        assertThat(wrong.err).contains("invalid_token");
        assertThat(configFile()).doesNotExist();

        Result ok = withInput(ADMIN + "\n", "login", "--token-stdin", "--forge-url", forge.url, "--cache-url", cache.url);
        assertThat(ok.exit).as(ok.err).isZero();
        assertThat(ok.out).contains("as admin");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configFile()))).isEqualTo("rw-------");
        assertThat(Files.readString(configFile())).contains(forge.url.replace(":", "\\:"));
    }

    @Test
    @Order(2)
    void managesRepositoriesHooksAndProtection() throws Exception {
        assertThat(cli("repo", "create", "demo", "--description", "cli test").out)
                .contains("Created admin/demo (private)").contains(forge.url + "/admin/demo.git");
        assertThat(cli("repo", "list").out).contains("admin/demo").contains("private");
        assertThat(cli("repo", "url", "demo").out.strip()).isEqualTo(forge.url + "/admin/demo.git");

        assertThat(cli("repo", "hook", "add", "admin/demo", "http://127.0.0.1:9/hooks/forge", "--secret", "s3cret").out)
                .contains("delivers [push]").contains("(signed)");
        assertThat(cli("repo", "hook", "list", "demo").out).contains("http://127.0.0.1:9/hooks/forge");
        assertThat(cli("repo", "protect", "demo", "main").out)
                .contains("force-push forbidden, deletion forbidden, pushers all writers");

        Result badHook = cli("repo", "hook", "add", "demo", "ftp://example/x");
        assertThat(badHook.exit).isEqualTo(1);
        assertThat(badHook.err).contains("HTTP 400");
        Result badName = cli("repo", "create", "../escape");
        assertThat(badName.exit).isEqualTo(1);
        assertThat(cli("repo", "list").out).doesNotContain("escape");

        Result deleteWithoutConfirm = cli("repo", "delete", "demo");
        assertThat(deleteWithoutConfirm.exit).isEqualTo(2);
        assertThat(cli("repo", "delete", "demo", "--yes").out).contains("Deleted admin/demo");
        assertThat(cli("repo", "list").out).doesNotContain("admin/demo");
    }

    @Test
    @Order(3)
    void personalTokensAreShownOnceAndRevocable() throws Exception {
        Result created = cli("token", "create", "laptop", "--scope", "read");
        assertThat(created.exit).as(created.err).isZero();
        String token = created.out.strip();
        assertThat(token).startsWith("pcr_");
        assertThat(created.err).contains("not shown again");

        String list = cli("token", "list").out;
        assertThat(list).contains("laptop").doesNotContain(token);
        String id = list.lines().filter(l -> l.contains("laptop")).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(cli("token", "revoke", id).out).contains("Revoked token " + id);
    }

    @Test
    @Order(4)
    void managesCachesAndTheirTokens() throws Exception {
        assertThat(cli("cache", "create", "team", "--public", "--max-size", "1G").out)
                .contains("name:        team").contains("visibility:  public").contains("of 1.0 GiB");
        assertThat(cli("cache", "list").out).contains("main").contains("team");
        assertThat(cli("cache", "info", "team").out).contains("public key:  ");

        Result token = cli("cache", "token", "create", "team", "ci", "--scope", "write");
        assertThat(token.out.strip()).startsWith("pcr_");
        assertThat(cli("cache", "token", "list", "team").out).contains("ci").contains("write")
                .doesNotContain(token.out.strip());

        Result badSize = cli("cache", "create", "other", "--max-size", "lots");
        assertThat(badSize.exit).isEqualTo(2);
        assertThat(badSize.err).contains("not a size");
    }

    @Test
    @Order(5)
    @RequiresTool("nix")
    void pushesAStorePathWithNixCopyThenPinsAndCollects() throws Exception {
        NixSandbox nix = new NixSandbox(home.resolve("nix"));
        String path = nix.buildTextFile("cli-push", "pushed by procurator cache push " + UUID.randomUUID());

        Result push = withEnv(nix.environment(), "cache", "push", "--cache", "team", path);
        assertThat(push.exit).as(push.out + push.err).isZero();
        assertThat(push.out).contains("Pushed 1 path(s)");
        assertThat(cli("cache", "info", "team").out).contains("paths:       1");

        assertThat(cli("cache", "pin", "team", "release", path, "--keep", "2").out).contains("Pinned " + path);
        assertThat(cli("cache", "pin", "team").out).contains("release").contains(path);
        assertThat(cli("cache", "gc", "team").out).contains("evicted 0 paths");
        assertThat(cli("cache", "unpin", "team", "release").out).contains("Unpinned release");
        assertThat(cli("cache", "pin", "team").out).doesNotContain(path);
    }

    private Path configFile() {
        return home.resolve("config").resolve("procurator").resolve("config");
    }

    record Result(int exit, String out, String err) {
    }

    private Result cli(String... args) throws Exception {
        return run(Map.of(), null, args);
    }

    private Result withInput(String stdin, String... args) throws Exception {
        return run(Map.of(), stdin, args);
    }

    private Result withEnv(Map<String, String> extraEnv, String... args) throws Exception {
        return run(extraEnv, null, args);
    }

    private Result run(Map<String, String> extraEnv, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ServiceJar.java(), "-jar",
                ServiceJar.REPO.resolve("cli/target/cli.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PROCURATOR_"));
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.putAll(extraEnv);
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("procurator " + String.join(" ", args) + " hung");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
