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

/** {@code procurator repo hook add|list}: push webhooks (signed with HMAC-SHA256 of the body). */
@Command(name = "hook", description = "Manage a repository's push webhooks.",
        subcommands = {HookCommand.Add.class, HookCommand.ListHooks.class})
final class HookCommand {

    @Command(name = "add", description = "Deliver push events to a URL, signed with a shared secret.")
    static final class Add extends ApiCommand {
        @Parameters(index = "0", description = "owner/name or name.")
        String repo;
        @Parameters(index = "1", description = "Receiver URL (http or https).")
        String url;
        @Option(names = "--secret", description = "HMAC secret (read from PROCURATOR_HOOK_SECRET when omitted).")
        String secret;
        @Option(names = "--event", split = ",", defaultValue = "push", description = "Events (default: ${DEFAULT-VALUE}).")
        List<String> events;

        @Override
        public Integer call() {
            ApiClient forge = platform().forge();
            RepoName name = RepoCommand.resolve(forge, repo);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", url);
            String hookSecret = secret != null ? secret : System.getenv("PROCURATOR_HOOK_SECRET");
            if (hookSecret != null) {
                body.put("secret", hookSecret);
            }
            body.put("events", events);
            JsonNode hook = forge.post(name.apiPath() + "/hooks", body);
            out().printf("Hook %d on %s/%s delivers %s to %s%s%n", hook.path("id").asLong(),
                    name.owner(), name.name(), events, url, hook.path("hasSecret").asBoolean() ? " (signed)" : "");
            return 0;
        }
    }

    @Command(name = "list", description = "List webhooks.")
    static final class ListHooks extends ApiCommand {
        @Parameters(index = "0", description = "owner/name or name.")
        String repo;

        @Override
        public Integer call() {
            ApiClient forge = platform().forge();
            Table table = new Table("ID", "URL", "EVENTS", "ACTIVE", "SIGNED");
            for (JsonNode hook : forge.get(RepoCommand.resolve(forge, repo).apiPath() + "/hooks")) {
                table.row(hook.path("id").asLong(), hook.path("url").asString(), hook.path("events").toString(),
                        hook.path("active").asBoolean(), hook.path("hasSecret").asBoolean());
            }
            table.print(out());
            return 0;
        }
    }
}
