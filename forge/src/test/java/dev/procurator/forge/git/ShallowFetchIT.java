package dev.procurator.forge.git;

import static dev.procurator.forge.TestForge.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.forge.Api;
import dev.procurator.forge.GitCli;
import dev.procurator.forge.TestForge;

/**
 * Every fetch mode C git's {@code http-backend} serves, with the real {@code git} client over protocol v0 and v2:
 * {@code --depth}, {@code --deepen}, {@code --shallow-since}, {@code --shallow-exclude}, {@code --unshallow},
 * {@code --filter=blob:none}, and plain fetches into shallow clones. Each scenario runs twice, once against the forge
 * and once against C git's own {@code upload-pack} (a {@code file://} URL to the same bare repository: what
 * {@code http-backend} runs), and after every step the two clones must have the same shallow boundary, the same
 * commits and the same missing objects, and the forge's clone must pass {@code git fsck}.
 */
@RequiresTool("git")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShallowFetchIT {

    @RegisterExtension
    static final TestForge forge = new TestForge("shallow");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        forge.register(r);
    }

    @LocalServerPort
    int port;

    final GitCli git = forge.git();
    Api api;

    @BeforeEach
    void api() {
        api = new Api(port);
    }

    /** One step of a scenario, run the same way in the forge's clone and in C git's. */
    sealed interface Step permits Clone, Fetch, ServerCommits {
    }

    record Clone(String... args) implements Step {
    }

    record Fetch(String... args) implements Step {
    }

    /** New commits pushed to the server's main between two steps (seen by both sides: one bare repository). */
    record ServerCommits(int count) implements Step {
    }

    /** Commit dates of the seeded history: commit i is dated day i of 2024-01. */
    static String day(int i) {
        return String.format("2024-01-%02dT12:00:00Z", i);
    }

    static Stream<Arguments> scenarios() {
        Map<String, List<Step>> scenarios = new java.util.LinkedHashMap<>();
        scenarios.put("depth", List.of(new Clone("--depth=1"), new Fetch("--depth=3"), new Fetch("--depth=1")));
        scenarios.put("deepen", List.of(new Clone("--depth=1"), new Fetch("--deepen=2"), new Fetch("--deepen=4")));
        scenarios.put("deepen-all-branches", List.of(new Clone("--depth=1", "--no-single-branch"),
                new Fetch("--deepen=3")));
        scenarios.put("deepen-after-server-moved", List.of(new Clone("--depth=2"), new ServerCommits(3),
                new Fetch("--deepen=2")));
        scenarios.put("deepen-past-merge", List.of(new Clone("--depth=3"), new Fetch("--deepen=5"),
                new Fetch("--deepen=100")));
        scenarios.put("shallow-since", List.of(new Clone("--shallow-since=" + day(9)),
                new Fetch("--shallow-since=" + day(5))));
        scenarios.put("shallow-since-after-depth", List.of(new Clone("--depth=1"),
                new Fetch("--shallow-since=" + day(7))));
        scenarios.put("shallow-exclude", List.of(new Clone("--shallow-exclude=v1"), new ServerCommits(2),
                new Fetch()));
        scenarios.put("shallow-exclude-after-depth", List.of(new Clone("--depth=1"),
                new Fetch("--shallow-exclude=v1")));
        scenarios.put("unshallow", List.of(new Clone("--depth=1"), new ServerCommits(1), new Fetch("--unshallow")));
        scenarios.put("fetch-into-shallow", List.of(new Clone("--depth=1"), new ServerCommits(2), new Fetch(),
                new ServerCommits(1), new Fetch("--depth=2")));
        scenarios.put("filter-blob-none", List.of(new Clone("--filter=blob:none"), new ServerCommits(1),
                new Fetch()));
        scenarios.put("filter-and-depth", List.of(new Clone("--filter=blob:none", "--depth=1"),
                new Fetch("--deepen=2")));
        List<Arguments> all = new ArrayList<>();
        for (var scenario : scenarios.entrySet()) {
            for (int protocol : new int[] {0, 2}) {
                all.add(Arguments.of(scenario.getKey(), protocol, scenario.getValue()));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} over protocol v{1}")
    @MethodSource("scenarios")
    void fetchModeMatchesCGit(String name, int protocol, List<Step> steps) {
        String repo = name + "-v" + protocol;
        Path seed = seededRepo(repo);
        Path bare = forge.data().resolve("repos/admin/" + repo + ".git");
        String forgeUrl = "http://127.0.0.1:" + port + "/admin/" + repo + ".git";
        String cgitUrl = "file://" + bare;
        Path forgeClone = forge.work().resolve(repo + "-forge");
        Path cgitClone = forge.work().resolve(repo + "-cgit");
        for (Step step : steps) {
            switch (step) {
                case ServerCommits s -> {
                    for (int i = 0; i < s.count(); i++) {
                        git.commit(seed, "server " + i);
                    }
                    git.ok(seed, "push", "-q", pushUrl(repo), "main");
                }
                case Clone c -> {
                    ok(protocol, forge.work(), concat(new String[] {"clone", "-q"}, c.args(), forgeUrl, forgeClone.toString()));
                    ok(protocol, forge.work(), concat(new String[] {"clone", "-q"}, c.args(), cgitUrl,
                            cgitClone.toString()));
                }
                case Fetch f -> {
                    ok(protocol, forgeClone, concat(new String[] {"fetch", "-q"}, f.args()));
                    ok(protocol, cgitClone, concat(new String[] {"fetch", "-q"}, f.args()));
                }
            }
            assertSameHistory(forgeClone, cgitClone, step);
        }
        ProcessResult fsck = git.run(forgeClone, "fsck", "--no-dangling");
        assertThat(fsck.exitCode()).as(fsck.stdout() + fsck.stderr()).isZero();
        if (name.startsWith("filter")) {
            assertThat(missing(forgeClone)).as("blobs left out by the filter").isNotEmpty();
        }
    }

    List<String> missing(Path clone) {
        return gitLines(clone, "rev-list", "--objects", "--all", "--missing=print").stream()
                .filter(l -> l.startsWith("?")).toList();
    }

    /** A scenario that deepens must actually have deepened: its shallow boundary lies exactly 2 and then 4 lower. */
    @Test
    void deepenMovesTheBoundaryByExactlyN() {
        seededRepo("deepen-count");
        Path clone = forge.work().resolve("deepen-count");
        for (int protocol : new int[] {0, 2}) {
            Path dir = clone.resolveSibling("deepen-count-v" + protocol);
            ok(protocol, forge.work(), "clone", "-q", "--depth=1", "http://127.0.0.1:" + port + "/admin/deepen-count.git",
                    dir.toString());
            assertThat(firstParentDepth(dir)).isEqualTo(1);
            ok(protocol, dir, "fetch", "-q", "--deepen=2");
            assertThat(firstParentDepth(dir)).isEqualTo(3);
            ok(protocol, dir, "fetch", "-q", "--deepen=4");
            assertThat(firstParentDepth(dir)).isEqualTo(7);
        }
    }

    /** An internal error while serving a fetch reaches the user as a git protocol error, never a bare HTTP 500. */
    @Test
    void internalErrorDuringUploadPackIsAGitProtocolError() throws IOException {
        seededRepo("broken");
        Path packs = forge.data().resolve("repos/admin/broken.git/objects/pack");
        try (Stream<Path> files = Files.list(packs)) {
            for (Path pack : files.filter(p -> p.toString().endsWith(".pack")).toList()) {
                Files.write(pack, new byte[64]);
            }
        }
        for (int protocol : new int[] {0, 2}) {
            ProcessResult clone = run(protocol, forge.work(), "clone", "-q",
                    "http://127.0.0.1:" + port + "/admin/broken.git", forge.work().resolve("broken-v" + protocol).toString());
            assertThat(clone.exitCode()).isNotZero();
            assertThat(clone.stderr()).as("protocol v" + protocol).contains("remote error")
                    .doesNotContain("500");
        }
    }

    int firstParentDepth(Path dir) {
        return Integer.parseInt(git.ok(dir, "rev-list", "--count", "--first-parent", "HEAD").stdout().strip());
    }

    void assertSameHistory(Path forge, Path cgit, Step step) {
        String after = " after " + step.getClass().getSimpleName() + " " + describe(step);
        assertThat(lines(forge.resolve(".git/shallow"))).as("shallow boundary" + after)
                .isEqualTo(lines(cgit.resolve(".git/shallow")));
        assertThat(gitLines(forge, "rev-list", "--remotes")).as("commits of the branches" + after)
                .isEqualTo(gitLines(cgit, "rev-list", "--remotes"));
        // With --shallow-since/--shallow-exclude across a merge whose one parent is cut off, JGit also sends the
        // other parent's history below that (now shallow) merge, and tags there are followed: more, never less.
        assertThat(gitLines(forge, "rev-list", "--all")).as("commits of all refs" + after)
                .containsAll(gitLines(cgit, "rev-list", "--all"));
        assertThat(missing(forge)).as("missing objects" + after).isEqualTo(missing(cgit));
    }

    static String describe(Step step) {
        return switch (step) {
            case Clone c -> Arrays.toString(c.args());
            case Fetch f -> Arrays.toString(f.args());
            case ServerCommits s -> String.valueOf(s.count());
        };
    }

    TreeSet<String> gitLines(Path dir, String... args) {
        return new TreeSet<>(git.ok(dir, args).stdout().lines().toList());
    }

    static TreeSet<String> lines(Path file) {
        try {
            return Files.exists(file) ? new TreeSet<>(Files.readAllLines(file)) : new TreeSet<>();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ProcessResult run(int protocol, Path dir, String... args) {
        return git.run(dir, concat(new String[] {"-c", "protocol.version=" + protocol}, args));
    }

    void ok(int protocol, Path dir, String... args) {
        ProcessResult result = run(protocol, dir, args);
        assertThat(result.exitCode()).as("git " + String.join(" ", args) + " over v" + protocol + " in " + dir
                + ":\n" + result.stdout() + result.stderr()).isZero();
    }

    static String[] concat(String[] head, String... tail) {
        return concat(head, new String[0], tail);
    }

    static String[] concat(String[] head, String[] middle, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(middle));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    String pushUrl(String repo) {
        return forge.pushUrl("admin/" + repo);
    }

    /**
     * A public repository with a dated history: main is 12 commits (day 1 to 12) with a side branch forked at
     * commit 4 and merged at commit 8, tag {@code v1} at commit 6, and a branch {@code other} forked at commit 10
     * with two commits of its own. Returns the work tree that pushed it.
     */
    Path seededRepo(String repo) {
        Api.Response created = api.post(ADMIN, "/api/v1/repos", Map.of("name", repo, "private", false));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Path work = git.newWorkTree(forge.work().resolve(repo + "-seed"));
        for (int i = 1; i <= 12; i++) {
            if (i == 8) {
                git.ok(work, "checkout", "-q", "-b", "side", "HEAD~3");
                for (int s = 1; s <= 3; s++) {
                    dated(work, day(4) .replace("12:00", "13:0" + s), "side " + s, "side.txt");
                }
                git.ok(work, "checkout", "-q", "main");
                ProcessResult merge = git.run(work, List.of("GIT_AUTHOR_DATE=" + day(i), "GIT_COMMITTER_DATE=" + day(i)),
                        "merge", "-q", "--no-ff", "-m", "commit 8 (merge side)", "side");
                assertThat(merge.exitCode()).as(merge.stderr()).isZero();
                continue;
            }
            dated(work, day(i), "commit " + i, "file.txt");
            if (i == 6) {
                git.ok(work, "tag", "-a", "-m", "release 1", "v1");
            }
            if (i == 10) {
                git.ok(work, "branch", "other");
            }
        }
        git.ok(work, "checkout", "-q", "other");
        dated(work, day(13), "other 1", "other.txt");
        dated(work, day(14), "other 2", "other.txt");
        git.ok(work, "checkout", "-q", "main");
        git.ok(work, "push", "-q", pushUrl(repo), "main", "side", "other", "v1");
        // C git's upload-pack, the reference, configured as the forge serves: partial clones and their lazy fetches.
        Path bare = forge.data().resolve("repos/admin/" + repo + ".git");
        git.ok(bare, "config", "uploadpack.allowFilter", "true");
        git.ok(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
        return work;
    }

    void dated(Path work, String date, String message, String file) {
        try {
            Files.writeString(work.resolve(file), message + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git.ok(work, "add", "-A");
        ProcessResult commit = git.run(work, List.of("GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date),
                "commit", "-q", "-m", message);
        assertThat(commit.exitCode()).as(commit.stderr()).isZero();
    }
}
