package dev.procurator.forge.git;

import static dev.procurator.forge.TestForge.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.common.testing.TestDatabase;
import dev.procurator.forge.Api;
import dev.procurator.forge.GitCli;
import dev.procurator.forge.TestForge;

/**
 * The real {@code git} client against the forge on real PostgreSQL: clone/fetch (protocol v2) and push over smart
 * HTTP, token auth with 401 challenges, private repositories, collaborators, protected branches, push limits,
 * malformed packs and racing pushes.
 */
@RequiresTool("git")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GitHttpIT {

    @RegisterExtension
    static final TestForge forge = new TestForge("git-http");

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        db.register(r);
        forge.register(r);
        r.add("procurator.forge.max-push-objects", () -> "500");
        r.add("procurator.forge.gc-pack-threshold", () -> "3");
        r.add("procurator.forge.gc-bitmap-objects", () -> "400");
        r.add("procurator.forge.max-push-bytes", () -> String.valueOf(3 * 1024 * 1024));
    }

    @LocalServerPort
    int port;

    static String alice;
    static String bob;
    static String carol;
    static final GitCli git = forge.git();
    Api api;

    @BeforeAll
    static void users(@org.springframework.beans.factory.annotation.Autowired org.springframework.core.env.Environment env) {
        Api api = new Api(Integer.parseInt(env.getProperty("local.server.port")));
        alice = api.userWithToken(ADMIN, "alice", "admin");
        bob = api.userWithToken(ADMIN, "bob", "write");
        carol = api.userWithToken(ADMIN, "carol", "read");
    }

    @org.junit.jupiter.api.BeforeEach
    void api() {
        api = new Api(port);
    }

    String url(String user, String token, String repo) {
        return "http://" + (user == null ? "" : user + ":" + token + "@") + "127.0.0.1:" + port + "/" + repo + ".git";
    }

    Path bare(String repo) {
        return forge.bare(repo);
    }

    void createRepo(String token, String name, boolean isPrivate) {
        Api.Response r = api.post(token, "/api/v1/repos", Map.of("name", name, "private", isPrivate));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** A repo of alice's with one pushed commit on main; returns the work tree. */
    Path seeded(String name, boolean isPrivate) {
        createRepo(alice, name, isPrivate);
        Path work = git.newWorkTree(forge.work().resolve(name + "-seed"), "first", "second");
        git.ok(work, "push", "-q", url("alice", alice, "alice/" + name), "main");
        return work;
    }

    String remoteHead(String repo, String branch) {
        ProcessResult r = git.ok(forge.work(), "--git-dir", bare(repo).toString(), "rev-parse", "--verify", "-q",
                "refs/heads/" + branch);
        return r.stdout().strip();
    }

    void assertIntact(String repo) {
        ProcessResult fsck = git.run(forge.work(), "--git-dir", bare(repo).toString(), "fsck", "--full", "--strict");
        assertThat(fsck.exitCode()).as(fsck.stdout() + fsck.stderr()).isZero();
    }

    @Test
    void pushThenAnonymousCloneOfPublicRepoOverProtocolV2() {
        Path work = seeded("demo", false);
        String head = git.head(work);
        assertThat(remoteHead("alice/demo", "main")).isEqualTo(head);

        Path clone = forge.work().resolve("demo-anon");
        ProcessResult cloned = git.run(forge.work(), List.of("GIT_TRACE_PACKET=1"), "-c", "protocol.version=2", "clone",
                url(null, null, "alice/demo"), clone.toString());
        assertThat(cloned.exitCode()).as(cloned.stderr()).isZero();
        assertThat(cloned.stderr()).contains("version 2");
        assertThat(git.head(clone)).isEqualTo(head);

        // An incremental fetch after a new push.
        String next = git.commit(work, "third");
        git.ok(work, "push", "-q", url("alice", alice, "alice/demo"), "main");
        git.ok(clone, "pull", "-q", "--ff-only");
        assertThat(git.head(clone)).isEqualTo(next);
        assertIntact("alice/demo");
    }

    @Test
    void privateRepoAndAllPushesChallengeAnonymousCallers() throws Exception {
        seeded("hidden", true);
        HttpResponse<String> read = raw("GET", "/alice/hidden.git/info/refs?service=git-upload-pack", null, null);
        assertThat(read.statusCode()).isEqualTo(401);
        assertThat(read.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");

        seeded("open", false);
        HttpResponse<String> push = raw("GET", "/alice/open.git/info/refs?service=git-receive-pack", null, null);
        assertThat(push.statusCode()).isEqualTo(401);
        assertThat(push.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");

        ProcessResult anonymous = git.run(forge.work(), "ls-remote", url(null, null, "alice/hidden"));
        assertThat(anonymous.exitCode()).isNotZero();
        ProcessResult owner = git.run(forge.work(), "ls-remote", url("alice", alice, "alice/hidden"));
        assertThat(owner.exitCode()).as(owner.stderr()).isZero();
        assertThat(owner.stdout()).contains("refs/heads/main");
        // Someone without access does not learn the repository exists.
        ProcessResult stranger = git.run(forge.work(), "ls-remote", url("bob", bob, "alice/hidden"));
        assertThat(stranger.exitCode()).isNotZero();
        assertThat(stranger.stderr()).containsIgnoringCase("not found");
        assertThat(api.get(bob, "/api/v1/repos/alice/hidden").status()).isEqualTo(404);
        assertThat(api.get(null, "/api/v1/repos/alice/hidden").status()).isEqualTo(404);
    }

    @Test
    void wrongAndRevokedTokensAreRejected() {
        Path seed = seeded("tokens", false);
        // git sends credentials only when challenged: a push always is.
        ProcessResult wrong = git.run(seed, "push", url("alice", "pcr_not-a-real-token", "alice/tokens"),
                "main:refs/heads/wrong");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.stderr()).contains("Authentication failed");
        assertThat(api.get("pcr_wrong", "/api/v1/user").status()).isEqualTo(401);

        Api.Response issued = api.post(alice, "/api/v1/user/tokens", Map.of("name", "ci", "scopes", List.of("write")));
        assertThat(issued.status()).isEqualTo(201);
        String token = issued.json().get("token").asString();
        assertThat(issued.json().get("scopes").toString()).contains("read", "write").doesNotContain("admin");
        assertThat(api.get(token, "/api/v1/user").json().get("name").asString()).isEqualTo("alice");
        // The secret is never shown again.
        assertThat(api.get(alice, "/api/v1/user/tokens").body()).doesNotContain(token);

        Path work = git.newWorkTree(forge.work().resolve("tokens-2"), "x");
        long id = issued.json().get("id").asLong();
        assertThat(api.delete(alice, "/api/v1/user/tokens/" + id).status()).isEqualTo(200);
        assertThat(api.get(token, "/api/v1/user").status()).isEqualTo(401);
        ProcessResult revoked = git.run(work, "push", url("alice", token, "alice/tokens"), "main:refs/heads/other");
        assertThat(revoked.exitCode()).isNotZero();
        assertThat(api.post(alice, "/api/v1/user/tokens", Map.of("name", "bad", "scopes", List.of("root"))).status())
                .isEqualTo(400);
    }

    @Test
    void expiringTokensStopWorkingWhenTheyExpire() throws InterruptedException {
        java.time.Instant expiry = java.time.Instant.now().plusSeconds(3);
        assertThat(api.post(alice, "/api/v1/user/tokens", Map.of("name", "past", "scopes", List.of("read"),
                "expiresAt", java.time.Instant.now().minusSeconds(1).toString())).status()).isEqualTo(400);
        Api.Response issued = api.post(alice, "/api/v1/user/tokens",
                Map.of("name", "short", "scopes", List.of("read"), "expiresAt", expiry.toString()));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        assertThat(issued.json().get("expiresAt").asString()).isEqualTo(expiry.toString());
        String token = issued.json().get("token").asString();
        assertThat(api.get(token, "/api/v1/user").status()).isEqualTo(200);
        var listed = api.get(alice, "/api/v1/user/tokens").json();
        for (var t : listed) {
            if (t.get("name").asString().equals("short")) {
                assertThat(t.get("lastUsedAt").isNull()).as("use recorded").isFalse();
            }
        }
        while (java.time.Instant.now().isBefore(expiry.plusMillis(200))) {
            Thread.sleep(100);
        }
        // Refused though its lookup is still in the cache (the cache keeps lookups 10 s).
        assertThat(api.get(token, "/api/v1/user").status()).isEqualTo(401);
    }

    @Test
    void collaboratorRolesAndTokenScopesDecideWhoMayPush() {
        Path work = seeded("team", false);
        git.commit(work, "by bob");
        ProcessResult denied = git.run(work, "push", url("bob", bob, "alice/team"), "main");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).contains("write access");

        assertThat(api.put(bob, "/api/v1/repos/alice/team/collaborators/bob", Map.of("role", "write")).status())
                .isEqualTo(403);
        assertThat(api.put(alice, "/api/v1/repos/alice/team/collaborators/bob", Map.of("role", "owner")).status())
                .isEqualTo(400);
        assertThat(api.put(alice, "/api/v1/repos/alice/team/collaborators/bob", Map.of("role", "write")).status())
                .isEqualTo(200);
        assertThat(api.put(alice, "/api/v1/repos/alice/team/collaborators/carol", Map.of("role", "write")).status())
                .isEqualTo(200);
        git.ok(work, "push", "-q", url("bob", bob, "alice/team"), "main");
        assertThat(remoteHead("alice/team", "main")).isEqualTo(git.head(work));

        // carol's role allows writing but her token is read-only.
        git.commit(work, "by carol");
        ProcessResult readOnly = git.run(work, "push", url("carol", carol, "alice/team"), "main");
        assertThat(readOnly.exitCode()).isNotZero();
        assertThat(api.get(alice, "/api/v1/repos/alice/team/collaborators").body()).contains("bob", "carol");
    }

    @Test
    void badRepositoryNamesAndUnknownRepositoriesAreClearErrors() throws IOException {
        for (String name : List.of("../evil", "a/b", ".hidden", "x.git", "", "dots..dots", "sp ace", "ü")) {
            Api.Response r = api.post(alice, "/api/v1/repos", Map.of("name", name, "private", false));
            assertThat(r.status()).as(name).isEqualTo(400);
            assertThat(r.json().get("error").asString()).isEqualTo("invalid_repo_name");
        }
        assertThat(api.get(alice, "/api/v1/repos").body()).doesNotContain("evil", "hidden\"");
        try (var owners = Files.list(forge.data().resolve("repos"))) {
            assertThat(owners.map(p -> p.getFileName().toString())).doesNotContain("evil", "..");
        }
        assertThat(api.post(null, "/api/v1/repos", Map.of("name", "x")).status()).isEqualTo(401);
        assertThat(api.post(carol, "/api/v1/repos", Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(api.post(alice, "/api/v1/repos", "{not json").status()).isEqualTo(400);
        Api.Response unknown = api.get(alice, "/api/v1/repos/alice/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asString()).isEqualTo("not_found");

        ProcessResult clone = git.run(forge.work(), "clone", url("alice", alice, "alice/nope"), forge.work().resolve("nope").toString());
        assertThat(clone.exitCode()).isNotZero();
        assertThat(clone.stderr()).containsIgnoringCase("not found");
        ProcessResult traversal = git.run(forge.work(), "ls-remote", "http://alice:" + alice + "@127.0.0.1:" + port
                + "/alice/..%2F..%2Fetc.git");
        assertThat(traversal.exitCode()).isNotZero();

        seeded("dup", false);
        assertThat(api.post(alice, "/api/v1/repos", Map.of("name", "dup")).status()).isEqualTo(409);
    }

    @Test
    void protectedBranchRejectsForcePushDeletionAndOtherPushers() {
        Path work = seeded("guarded", false);
        String protectedHead = git.head(work);
        assertThat(api.put(alice, "/api/v1/repos/alice/guarded/collaborators/bob", Map.of("role", "write")).status())
                .isEqualTo(200);
        assertThat(api.put(bob, "/api/v1/repos/alice/guarded/protections/main", Map.of()).status()).isEqualTo(403);
        Api.Response rule = api.put(alice, "/api/v1/repos/alice/guarded/protections/main",
                Map.of("forbidForcePush", true, "forbidDeletion", true));
        assertThat(rule.status()).as(rule.body()).isEqualTo(200);
        assertThat(api.put(alice, "/api/v1/repos/alice/guarded/protections/bad..name", Map.of()).status())
                .isEqualTo(400);

        git.ok(work, "reset", "-q", "--hard", "HEAD~1");
        git.commit(work, "rewritten history");
        ProcessResult force = git.run(work, "push", "--force", url("alice", alice, "alice/guarded"), "main");
        assertThat(force.exitCode()).isNotZero();
        assertThat(force.stderr()).contains("remote: Procurator: push rejected: branch main is protected: force-push");
        assertThat(remoteHead("alice/guarded", "main")).isEqualTo(protectedHead);

        ProcessResult delete = git.run(work, "push", url("alice", alice, "alice/guarded"), ":main");
        assertThat(delete.exitCode()).isNotZero();
        assertThat(delete.stderr()).contains("cannot be deleted");
        assertThat(remoteHead("alice/guarded", "main")).isEqualTo(protectedHead);

        // Restrict pushers to alice: bob's fast-forward is refused, alice's goes through.
        assertThat(api.put(alice, "/api/v1/repos/alice/guarded/protections/main",
                Map.of("pushers", List.of("alice"))).status()).isEqualTo(200);
        git.ok(work, "reset", "-q", "--hard", protectedHead);
        String next = git.commit(work, "fast-forward");
        ProcessResult byBob = git.run(work, "push", url("bob", bob, "alice/guarded"), "main");
        assertThat(byBob.exitCode()).isNotZero();
        assertThat(byBob.stderr()).contains("only alice may push");
        assertThat(remoteHead("alice/guarded", "main")).isEqualTo(protectedHead);
        git.ok(work, "push", "-q", url("alice", alice, "alice/guarded"), "main");
        assertThat(remoteHead("alice/guarded", "main")).isEqualTo(next);

        // Unprotected branches still take force-pushes.
        git.ok(work, "push", "-q", url("alice", alice, "alice/guarded"), "main:feature");
        git.ok(work, "push", "-q", "--force", url("alice", alice, "alice/guarded"), "HEAD~1:feature");
        assertThat(api.get(alice, "/api/v1/repos/alice/guarded/protections").body()).contains("\"branch\":\"main\"");
        assertIntact("alice/guarded");
    }

    @Test
    void pushesOverTheLimitsAreRejectedAndChangeNothing() throws IOException {
        Path work = seeded("limits", false);
        String before = remoteHead("alice/limits", "main");

        for (int i = 0; i < 600; i++) {
            Files.writeString(work.resolve("f" + i + ".txt"), "file " + i + "\n");
        }
        git.ok(work, "add", "-A");
        git.ok(work, "commit", "-q", "-m", "too many objects");
        ProcessResult many = git.run(work, "push", url("alice", alice, "alice/limits"), "main");
        assertThat(many.exitCode()).isNotZero();
        assertThat(many.stderr()).contains("more than 500 objects");
        assertThat(remoteHead("alice/limits", "main")).isEqualTo(before);

        git.ok(work, "reset", "-q", "--hard", before);
        byte[] noise = new byte[4 * 1024 * 1024];
        new Random(42).nextBytes(noise);
        Files.write(work.resolve("big.bin"), noise);
        git.ok(work, "add", "-A");
        git.ok(work, "commit", "-q", "-m", "too big");
        ProcessResult big = git.run(work, "push", url("alice", alice, "alice/limits"), "main");
        assertThat(big.exitCode()).isNotZero();
        assertThat(big.stderr()).containsIgnoringCase("limit");
        assertThat(remoteHead("alice/limits", "main")).isEqualTo(before);
        assertIntact("alice/limits");
    }

    @Test
    void malformedPackIsRejectedAndRepositoryStaysIntact() throws Exception {
        seeded("corrupt", false);
        String before = remoteHead("alice/corrupt", "main");
        String bogus = "1234567890123456789012345678901234567890";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String command = before + " " + bogus + " refs/heads/main\0 report-status side-band-64k\n";
        body.write(String.format("%04x", command.length() + 4).getBytes(StandardCharsets.US_ASCII));
        body.write(command.getBytes(StandardCharsets.US_ASCII));
        body.write("0000".getBytes(StandardCharsets.US_ASCII));
        body.write(new byte[] {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 1});
        byte[] garbage = new byte[200];
        new Random(7).nextBytes(garbage);
        body.write(garbage);

        HttpResponse<String> response = raw("POST", "/alice/corrupt.git/git-receive-pack", alice, body.toByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("unpack");
        assertThat(response.body()).doesNotContain("ok refs/heads/main");
        assertThat(remoteHead("alice/corrupt", "main")).isEqualTo(before);
        assertIntact("alice/corrupt");
        // Still fully usable.
        Path clone = forge.work().resolve("corrupt-clone");
        git.ok(forge.work(), "clone", "-q", url(null, null, "alice/corrupt"), clone.toString());
        assertThat(git.head(clone)).isEqualTo(before);
    }

    @Test
    void wellFormedPackNamingMissingObjectsIsRejectedAndRepositoryStaysIntact() throws Exception {
        // A commit whose tree is in neither the pack nor the repository: valid bytes, but not connected. Once on top
        // of the existing history (the pack builds on the repository) and once as a root commit into an empty
        // repository (the pack claims to be self-contained).
        String missingTree = "1234567890123456789012345678901234567890";
        seeded("incomplete", false);
        String before = remoteHead("alice/incomplete", "main");
        byte[] child = ("tree " + missingTree + "\nparent " + before
                + "\nauthor A <a@x> 1700000000 +0000\ncommitter A <a@x> 1700000000 +0000\n\nno tree\n")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = raw("POST", "/alice/incomplete.git/git-receive-pack", alice,
                receivePackRequest(before, "refs/heads/main", child));
        assertThat(response.body()).doesNotContain("ok refs/heads/main");
        assertThat(remoteHead("alice/incomplete", "main")).isEqualTo(before);
        assertIntact("alice/incomplete");

        createRepo(alice, "incomplete-empty", false);
        byte[] root = ("tree " + missingTree + "\nauthor A <a@x> 1700000000 +0000\n"
                + "committer A <a@x> 1700000000 +0000\n\nno tree\n").getBytes(StandardCharsets.UTF_8);
        response = raw("POST", "/alice/incomplete-empty.git/git-receive-pack", alice,
                receivePackRequest("0".repeat(40), "refs/heads/main", root));
        assertThat(response.body()).doesNotContain("ok refs/heads/main");
        ProcessResult refs = git.run(forge.work(), "--git-dir", bare("alice/incomplete-empty").toString(), "for-each-ref");
        assertThat(refs.stdout()).isEmpty();
    }

    /** A receive-pack request creating/updating one ref to a commit carried in a one-object pack. */
    static byte[] receivePackRequest(String oldId, String ref, byte[] commit) throws Exception {
        String newId = new org.eclipse.jgit.lib.ObjectInserter.Formatter()
                .idFor(org.eclipse.jgit.lib.Constants.OBJ_COMMIT, commit).name();
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        pack.write(new byte[] {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 1});
        long size = commit.length;
        int header = (org.eclipse.jgit.lib.Constants.OBJ_COMMIT << 4) | (int) (size & 0x0f);
        size >>>= 4;
        while (size != 0) {
            pack.write(header | 0x80);
            header = (int) (size & 0x7f);
            size >>>= 7;
        }
        pack.write(header);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        try (var out = new java.util.zip.DeflaterOutputStream(pack, deflater)) {
            out.write(commit);
        } finally {
            deflater.end();
        }
        byte[] packed = pack.toByteArray();
        byte[] trailer = java.security.MessageDigest.getInstance("SHA-1").digest(packed);

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String command = oldId + " " + newId + " " + ref + "\0 report-status side-band-64k\n";
        body.write(String.format("%04x", command.length() + 4).getBytes(StandardCharsets.US_ASCII));
        body.write(command.getBytes(StandardCharsets.US_ASCII));
        body.write("0000".getBytes(StandardCharsets.US_ASCII));
        body.write(packed);
        body.write(trailer);
        return body.toByteArray();
    }

    @Test
    void racingPushesToOneBranchLetOneWinAndTellTheOtherToFetchFirst() throws Exception {
        Path seed = seeded("race", false);
        List<Path> clones = new ArrayList<>();
        for (String who : List.of("a", "b")) {
            Path clone = forge.work().resolve("race-" + who);
            git.ok(forge.work(), "clone", "-q", url(null, null, "alice/race"), clone.toString());
            git.commit(clone, "change from " + who);
            clones.add(clone);
        }
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<ProcessResult>> pushes = clones.stream().map(clone -> CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return git.run(clone, "push", url("alice", alice, "alice/race"), "main");
        })).toList();
        List<ProcessResult> results = pushes.stream().map(CompletableFuture::join).toList();

        assertThat(results.stream().filter(r -> r.exitCode() == 0)).hasSize(1);
        ProcessResult loser = results.stream().filter(r -> r.exitCode() != 0).findFirst().orElseThrow();
        assertThat(loser.stderr()).contains("fetch first");
        int winner = results.get(0).exitCode() == 0 ? 0 : 1;
        assertThat(remoteHead("alice/race", "main")).isEqualTo(git.head(clones.get(winner)));
        assertThat(seed).exists();
        assertIntact("alice/race");
    }

    @Test
    void aLargeFirstPushGetsABitmapForFastClones() throws Exception {
        createRepo(alice, "large", false);
        Path work = git.newWorkTree(forge.work().resolve("large-seed"), "first");
        for (int i = 0; i < 450; i++) {
            Files.writeString(work.resolve("file-" + i + ".txt"), "content " + i + "\n");
        }
        git.commit(work, "many files");
        git.ok(work, "push", "-q", url("alice", alice, "alice/large"), "main");

        Path packs = bare("alice/large").resolve("objects/pack");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.list(packs)) {
                return files.anyMatch(f -> f.toString().endsWith(".bitmap"));
            }
        });
        assertThat(remoteHead("alice/large", "main")).isEqualTo(git.head(work));
        assertIntact("alice/large");
    }

    @Test
    void manyPushesAreRepackedInTheBackground() throws Exception {
        Path work = seeded("busy", false);
        for (int i = 0; i < 4; i++) {
            git.commit(work, "push " + i);
            git.ok(work, "push", "-q", url("alice", alice, "alice/busy"), "main");
        }
        Path packs = bare("alice/busy").resolve("objects/pack");
        // Five pushes made five packs; once past the threshold (3) they were repacked into one, with a bitmap.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.list(packs)) {
                return files.anyMatch(f -> f.toString().endsWith(".bitmap"));
            }
        });
        try (var files = Files.list(packs)) {
            assertThat(files.filter(f -> f.toString().endsWith(".pack")).count()).isLessThanOrEqualTo(3);
        }
        assertThat(remoteHead("alice/busy", "main")).isEqualTo(git.head(work));
        assertIntact("alice/busy");
        Path clone = forge.work().resolve("busy-clone");
        git.ok(forge.work(), "clone", "-q", url(null, null, "alice/busy"), clone.toString());
        assertThat(git.head(clone)).isEqualTo(git.head(work));
    }

    HttpResponse<String> raw(String method, String path, String token, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("x:" + token).getBytes()));
        }
        if (body != null) {
            b.header("Content-Type", "application/x-git-receive-pack-request");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        }
    }
}
