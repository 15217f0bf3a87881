package dev.procurator.forge.webhook;

import static dev.procurator.forge.TestForge.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.procurator.common.process.ProcessResult;
import dev.procurator.common.testing.RequiresTool;
import dev.procurator.common.testing.TestDatabase;
import dev.procurator.forge.Api;
import dev.procurator.forge.GitCli;
import dev.procurator.forge.TestForge;
import dev.procurator.forge.repo.Repo;
import dev.procurator.forge.repo.RepoStore;

/**
 * A push whose refs moved always produces its push event, on real PostgreSQL: the database fails the event's insert
 * during a push (a trigger), the push still succeeds and says so, and once the database answers again the event is
 * recorded and its webhook delivered; refs moved behind the forge's back are reconciled; several reconcilers racing
 * (as several forge instances would) record each update exactly once.
 */
@RequiresTool("git")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PushEventReconcileIT {

    static final String SECRET = "reconcile-secret";
    @RegisterExtension
    static final TestForge forge = new TestForge("reconcile");

    @RegisterExtension
    static TestDatabase db = new TestDatabase();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        db.register(r);
        forge.register(r);
        r.add("procurator.forge.webhook-poll-interval", () -> "200ms");
        // Only the reconciliations this test starts (and the retry after a failed recording) run during it.
        r.add("procurator.forge.ref-reconcile-interval", () -> "1h");
    }

    @LocalServerPort
    int port;

    @Autowired
    RefReconciler reconciler;

    @Autowired
    RepoStore repos;

    final GitCli git = forge.git();
    final JsonMapper json = JsonMapper.builder().build();

    String pushUrl(String repo) {
        return forge.pushUrl("admin/" + repo);
    }

    Path bare(String repo) {
        return forge.bare("admin/" + repo);
    }

    void createRepo(Api api, String name, String hookUrl) {
        assertThat(api.post(ADMIN, "/api/v1/repos", Map.of("name", name, "private", true)).status()).isEqualTo(201);
        assertThat(api.post(ADMIN, "/api/v1/repos/admin/" + name + "/hooks",
                Map.of("url", hookUrl, "secret", SECRET)).status()).isEqualTo(201);
    }

    List<Map<String, Object>> events(String repo) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = db.connect(); var s = c.prepareStatement(
                "select e.ref, e.old_sha, e.new_sha, e.pusher from forge.push_event e join forge.repository r "
                        + "on r.id = e.repo_id where r.name = ? order by e.id")) {
            s.setString(1, repo);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(Map.of("ref", rs.getString(1), "before", rs.getString(2), "after", rs.getString(3),
                            "pusher", rs.getString(4)));
                }
            }
        }
        return rows;
    }

    static void sql(String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Test
    void pushDuringDatabaseFailureStillProducesItsEventAndWebhook() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET, 0)) {
            Api api = new Api(port);
            createRepo(api, "flaky", receiver.url());
            Path work = git.newWorkTree(forge.work().resolve("flaky"), "first");
            git.ok(work, "push", "-q", pushUrl("flaky"), "main");
            String first = git.head(work);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);

            sql("create function forge.fail_push_event() returns trigger language plpgsql as "
                            + "$$ begin raise exception 'injected database failure'; end $$",
                    "create trigger fail_push_event before insert on forge.push_event "
                            + "for each row execute function forge.fail_push_event()");
            String second = git.commit(work, "second");
            ProcessResult push = git.run(work, "push", pushUrl("flaky"), "main");
            assertThat(push.exitCode()).as(push.stderr()).isZero();
            assertThat(push.stderr()).contains("push event could not be recorded yet");
            assertThat(git.ok(forge.work(), "--git-dir", bare("flaky").toString(), "rev-parse", "main").stdout().strip())
                    .isEqualTo(second);
            Thread.sleep(1500);
            assertThat(events("flaky")).hasSize(1);

            sql("drop trigger fail_push_event on forge.push_event", "drop function forge.fail_push_event()");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 2);
            assertThat(events("flaky")).containsExactly(
                    Map.of("ref", "refs/heads/main", "before", "0".repeat(40), "after", first, "pusher", "admin"),
                    Map.of("ref", "refs/heads/main", "before", first, "after", second, "pusher", "admin"));
            WebhookReceiver.Received delivered = receiver.received().get(1);
            assertThat(delivered.signatureValid()).isTrue();
            JsonNode body = json.readTree(delivered.body());
            assertThat(body.get("before").asString()).isEqualTo(first);
            assertThat(body.get("after").asString()).isEqualTo(second);
            assertThat(body.get("head_commit").get("message").asString()).isEqualTo("second\n");
            assertThat(body.get("pusher").get("name").asString()).isEqualTo("admin");
        }
    }

    @Test
    void refsMovedBehindTheForgesBackAreRecordedOnceThoughReconcilersRace() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET, 0)) {
            Api api = new Api(port);
            createRepo(api, "moved", receiver.url());
            Path work = git.newWorkTree(forge.work().resolve("moved"), "first");
            git.ok(work, "push", "-q", pushUrl("moved"), "main", "main:release");
            String first = git.head(work);
            String second = git.commit(work, "second");
            // As if the forge died between moving the refs and recording them: a new branch, a moved one, a deleted one.
            git.ok(work, "push", "-q", bare("moved").toString(), "main", "main:feature", ":release");
            Repo repo = repos.findAll().stream().filter(r -> r.name().equals("moved")).findFirst().orElseThrow();

            int racers = 4;
            CyclicBarrier start = new CyclicBarrier(racers);
            List<CompletableFuture<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return reconciler.reconcile(repo);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            int recorded = runs.stream().mapToInt(CompletableFuture::join).sum();
            assertThat(recorded).isEqualTo(3);
            assertThat(reconciler.reconcile(repo)).isZero();
            assertThat(events("moved")).containsExactlyInAnyOrder(
                    Map.of("ref", "refs/heads/main", "before", "0".repeat(40), "after", first, "pusher", "admin"),
                    Map.of("ref", "refs/heads/release", "before", "0".repeat(40), "after", first, "pusher", "admin"),
                    // The reflog names who moved a ref (here: git's committer identity, pushing to the path).
                    Map.of("ref", "refs/heads/main", "before", first, "after", second, "pusher", "Test Committer"),
                    Map.of("ref", "refs/heads/feature", "before", "0".repeat(40), "after", second,
                            "pusher", "Test Committer"),
                    Map.of("ref", "refs/heads/release", "before", first, "after", "0".repeat(40),
                            "pusher", "unknown"));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() == 5);
        }
    }
}
