package dev.procurator.ci.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import dev.procurator.common.testing.ClusterFlake;
import dev.procurator.common.webhook.WebhookSignature;

/**
 * Repositories as the CI fetches them, without a forge process: bare repositories under {@code <root>/forge}, which
 * the CI reaches through {@code PROCURATOR_FORGE_URL=file://<root>/forge} (JGit's file transport), pushed to with the
 * real git; and the forge's push webhook, built and signed as the forge builds and signs it (its README), delivered
 * to the CI over HTTP. The e2e tests run the same path against the real forge.
 */
public final class DiskForge {

    private static final String ZEROS = "0".repeat(40);

    private final Path root;
    private final GitClones git;
    private final HttpClient http = HttpClient.newHttpClient();

    public DiskForge(Path root) {
        this.root = root;
        this.git = new GitClones(root);
    }

    /** The value of {@code PROCURATOR_FORGE_URL} for the CI. */
    public String url() {
        return "file://" + root.resolve("forge");
    }

    /** Writes the flake into the repository's branch, commits and pushes; returns the new commit. */
    public String push(String repo, String branch, ClusterFlake flake, String message) {
        Path work = workTree(repo, branch);
        flake.write(work);
        return git.commitAndPush(work, branch, message);
    }

    /** Adds or changes one file, commits and pushes; returns the new commit. */
    public String pushFile(String repo, String branch, String file, String content, String message) {
        Path work = workTree(repo, branch);
        try {
            Files.writeString(work.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return git.commitAndPush(work, branch, message);
    }

    /** The push payload the forge sends for a ref update (snake_case, GitHub's shape). */
    public static String payload(String repo, String branch, String before, String after, boolean deleted) {
        String[] parts = repo.split("/");
        return """
                {"event":"push","push_id":1,"ref":"refs/heads/%s","before":"%s","after":"%s","created":%s,\
                "deleted":%s,"forced":false,"repository":{"id":1,"owner":"%s","name":"%s","full_name":"%s",\
                "private":true,"default_branch":"main","clone_url":"http://forge/%s.git","html_url":"http://forge/%s"},\
                "pusher":{"name":"alice"},"commits":[],"head_commit":null,"pushed_at":"2026-01-01T00:00:00Z"}"""
                .formatted(branch, before, after, before.equals(ZEROS), deleted, parts[0], parts[1], repo, repo, repo);
    }

    public static String payload(String repo, String branch, String after) {
        return payload(repo, branch, ZEROS, after, false);
    }

    /** POSTs a delivery to the CI's {@code /hooks/forge} as the forge does, signed with {@code secret}. */
    public HttpResponse<String> deliver(String ciUrl, String secret, String event, String deliveryId, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return deliverSigned(ciUrl, secret == null ? null : WebhookSignature.sign(secret, bytes), event, deliveryId,
                body);
    }

    /** POSTs a delivery with the given signature header (null: none). */
    public HttpResponse<String> deliverSigned(String ciUrl, String signature, String event, String deliveryId,
                                              String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ciUrl + "/hooks/forge"))
                .header("Content-Type", "application/json").header("User-Agent", "Procurator-Forge")
                .header("X-Procurator-Event", event).header("X-Procurator-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (signature != null) {
            request.header(WebhookSignature.HEADER, signature);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A push of the branch delivered as a new delivery. */
    public HttpResponse<String> deliverPush(String ciUrl, String secret, String repo, String branch, String after) {
        return deliver(ciUrl, secret, "push", UUID.randomUUID().toString(), payload(repo, branch, after));
    }

    private Path workTree(String repo, String branch) {
        Path bare = root.resolve("forge").resolve(repo + ".git");
        if (!Files.isDirectory(bare)) {
            try {
                Files.createDirectories(bare);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            git.git(bare, "init", "-q", "--bare", "--initial-branch=main");
        }
        return git.workTree(repo, branch, bare.toString());
    }
}
