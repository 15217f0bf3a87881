package dev.procurator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

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
 * then repositories, hooks, branch protection, personal tokens and caches are managed with it,
 * {@code procurator cache push} uploads a real Nix store path through {@code nix copy}, and after login the real
 * {@code git} pushes and clones without a terminal to ask for credentials on.
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

    @Test
    @Order(6)
    @RequiresTool("git")
    void afterLoginGitPushesAndClonesWithoutATerminal() throws Exception {
        // A user of their own: HOME and nothing else says where the configuration goes (no XDG_CONFIG_HOME).
        Path userHome = Files.createDirectories(home.resolve("git-user"));
        for (int i = 0; i < 2; i++) {
            Result login = asUser(userHome, ADMIN + "\n", "login", "--token-stdin", "--forge-url", forge.url);
            assertThat(login.exit).as(login.err).isZero();
            assertThat(login.out).contains("git: pushes to " + forge.url);
        }
        assertThat(userHome.resolve(".config/procurator/config")).exists();
        String gitconfig = Files.readString(userHome.resolve(".gitconfig"));
        assertThat(gitconfig.split("\\[credential \"" + Pattern.quote(forge.url) + "\"]", -1))
                .as("one section for the forge after two logins:\n" + gitconfig).hasSize(2);
        assertThat(gitconfig).contains("auth git-credential").doesNotContain(ADMIN);

        Result created = asUser(userHome, null, "repo", "create", "pushed");
        assertThat(created.exit).as(created.err).isZero();
        String url = asUser(userHome, null, "repo", "url", "pushed").out.strip();
        assertThat(url).isEqualTo(forge.url + "/admin/pushed.git");

        Path work = Files.createDirectories(home.resolve("work"));
        String content = "pushed by git after procurator login " + UUID.randomUUID();
        Files.writeString(work.resolve("README.md"), content);
        git(userHome, work, "init", "-q", "-b", "main").requireSuccess();
        git(userHome, work, "add", "README.md").requireSuccess();
        git(userHome, work, "-c", "user.name=CLI test", "-c", "user.email=cli@example.org",
                "commit", "-q", "-m", "first").requireSuccess();
        git(userHome, work, "remote", "add", "origin", url).requireSuccess();
        git(userHome, work, "push", "-q", "origin", "main").requireSuccess();

        Path clone = home.resolve("clone");
        git(userHome, home, "clone", "-q", url, clone.toString()).requireSuccess();
        assertThat(clone.resolve("README.md")).hasContent(content);

        // Someone who did not log in gets nothing: git cannot prompt, so it fails.
        Path stranger = Files.createDirectories(home.resolve("stranger"));
        Result denied = git(stranger, home, "ls-remote", url);
        assertThat(denied.exit).isNotZero();
        assertThat(denied.err).contains("terminal prompts disabled");

        Result logout = asUser(userHome, null, "logout");
        assertThat(logout.exit).as(logout.err).isZero();
        assertThat(Files.readString(userHome.resolve(".gitconfig"))).doesNotContain(forge.url);
        assertThat(Files.readString(userHome.resolve(".config/procurator/config"))).doesNotContain(ADMIN)
                .contains(forge.url.replace(":", "\\:"));
        assertThat(git(userHome, home, "ls-remote", url).exit).as("no credentials after logout").isNotZero();
    }

    private Path configFile() {
        return home.resolve("config").resolve("procurator").resolve("config");
    }

    record Result(int exit, String out, String err) {
        Result requireSuccess() {
            assertThat(exit).as("exit code; stdout:\n%s\nstderr:\n%s", out, err).isZero();
            return this;
        }
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
        Map<String, String> env = new HashMap<>(extraEnv);
        env.putIfAbsent("XDG_CONFIG_HOME", home.resolve("config").toString());
        // login also sets up git: in a home of the test's own, never the developer's ~/.gitconfig.
        env.putIfAbsent("HOME", Files.createDirectories(home.resolve("home")).toString());
        return run(env, null, stdin, cliCommand(args));
    }

    /** The CLI as a user whose home is {@code userHome}, with no XDG_CONFIG_HOME. */
    private Result asUser(Path userHome, String stdin, String... args) throws Exception {
        return run(Map.of("HOME", userHome.toString()), null, stdin, cliCommand(args));
    }

    /** The real git as that user, with no terminal to prompt on and no configuration but the user's. */
    private Result git(Path userHome, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return run(Map.of("HOME", userHome.toString(), "GIT_TERMINAL_PROMPT", "0", "GIT_CONFIG_NOSYSTEM", "1"),
                dir, null, command);
    }

    private static List<String> cliCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(ServiceJar.java(), "-jar",
                ServiceJar.REPO.resolve("cli/target/cli.jar").toString()));
        command.addAll(List.of(args));
        return command;
    }

    private Result run(Map<String, String> extraEnv, Path dir, String stdin, List<String> command) throws Exception {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PROCURATOR_") || name.startsWith("GIT_")
                || List.of("XDG_CONFIG_HOME", "SSH_ASKPASS").contains(name));
        env.putAll(extraEnv);
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " hung");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
