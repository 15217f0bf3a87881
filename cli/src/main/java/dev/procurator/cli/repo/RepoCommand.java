package dev.procurator.cli.repo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.procurator.cli.api.ApiCommand;
import dev.procurator.cli.api.ApiClient;
import dev.procurator.cli.api.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code procurator repo ...}: repositories on the forge. */
@Command(name = "repo", description = "Manage git repositories on the forge.", mixinStandardHelpOptions = true,
        subcommands = {RepoCommand.Create.class, RepoCommand.ListRepos.class, RepoCommand.Delete.class,
                RepoCommand.Url.class, RepoCommand.Protect.class, HookCommand.class, RepoConnectCommand.class})
public final class RepoCommand {

    /** Resolves a repo argument; a bare name belongs to the logged-in user. */
    static RepoName resolve(ApiClient forge, String text) {
        return RepoName.parse(text, text.contains("/") ? null : forge.get("/api/v1/user").path("name").asString());
    }

    @Command(name = "create", description = "Create a repository owned by you.")
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "Repository name.")
        String name;
        @Option(names = "--public", description = "Readable without a token (default: private).")
        boolean isPublic;
        @Option(names = "--description", description = "One line about it.")
        String description;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("private", !isPublic);
            if (description != null) {
                body.put("description", description);
            }
            JsonNode repo = platform().forge().post("/api/v1/repos", body);
            out().printf("Created %s (%s)%n  git remote add origin %s%n",
                    repo.path("fullName").asString(), isPublic ? "public" : "private", repo.path("cloneUrl").asString());
            return 0;
        }
    }

    @Command(name = "list", description = "List the repositories you can read.")
    static final class ListRepos extends ApiCommand {
        @Override
        public Integer call() {
            Table table = new Table("REPOSITORY", "VISIBILITY", "PERMISSION", "CLONE URL");
            for (JsonNode repo : platform().forge().get("/api/v1/repos")) {
                table.row(repo.path("fullName").asString(), repo.path("private").asBoolean() ? "private" : "public",
                        repo.path("permission").asString(), repo.path("cloneUrl").asString());
            }
            table.print(out());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a repository and its history (needs --yes).")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", description = "owner/name or name.")
        String repo;
        @Option(names = "--yes", required = true, description = "Confirm: this cannot be undone.")
        boolean confirmed;

        @Override
        public Integer call() {
            ApiClient forge = platform().forge();
            RepoName name = resolve(forge, repo);
            forge.delete(name.apiPath());
            out().printf("Deleted %s/%s%n", name.owner(), name.name());
            return 0;
        }
    }

    @Command(name = "url", description = "Print a repository's clone URL.")
    static final class Url extends ApiCommand {
        @Parameters(index = "0", description = "owner/name or name.")
        String repo;

        @Override
        public Integer call() {
            ApiClient forge = platform().forge();
            out().println(forge.get(resolve(forge, repo).apiPath()).path("cloneUrl").asString());
            return 0;
        }
    }

    @Command(name = "protect", description = "Protect a branch: no force-push, no deletion, optionally only some pushers.")
    static final class Protect extends ApiCommand {
        @Parameters(index = "0", description = "owner/name or name.")
        String repo;
        @Parameters(index = "1", description = "Branch, e.g. main.")
        String branch;
        @Option(names = "--allow-force-push", description = "Still allow force-pushes.")
        boolean allowForcePush;
        @Option(names = "--allow-deletion", description = "Still allow deleting the branch.")
        boolean allowDeletion;
        @Option(names = "--pusher", split = ",", description = "Only these users may push (default: every writer).")
        List<String> pushers;

        @Override
        public Integer call() {
            ApiClient forge = platform().forge();
            RepoName name = resolve(forge, repo);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("forbidForcePush", !allowForcePush);
            body.put("forbidDeletion", !allowDeletion);
            if (pushers != null) {
                body.put("pushers", pushers);
            }
            JsonNode rule = forge.put(name.apiPath() + "/protections/" + branch, body);
            out().printf("Protected %s on %s/%s: force-push %s, deletion %s, pushers %s%n",
                    branch, name.owner(), name.name(), rule.path("forbidForcePush").asBoolean() ? "forbidden" : "allowed",
                    rule.path("forbidDeletion").asBoolean() ? "forbidden" : "allowed",
                    rule.path("pushers").isEmpty() ? "all writers" : rule.path("pushers").toString());
            return 0;
        }
    }
}
