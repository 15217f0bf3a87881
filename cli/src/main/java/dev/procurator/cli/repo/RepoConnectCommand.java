package dev.procurator.cli.repo;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.procurator.cli.api.ApiCommand;
import dev.procurator.cli.api.ApiClient;
import dev.procurator.cli.api.CliConfig;
import dev.procurator.cli.api.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code procurator repo connect <repo>}: the forge delivers the repository's pushes to the CI, signed with the CI's
 * webhook secret, which goes from the CI to the forge without anybody seeing it. A hook to the same URL is replaced
 * (so a rotated secret is taken up by connecting again).
 */
@Command(name = "connect", description = "Build a repository's pushes with the CI: adds the CI's signed webhook.")
final class RepoConnectCommand extends ApiCommand {

    @Parameters(index = "0", description = "owner/name or name.")
    String repo;

    @Override
    public Integer call() {
        Platform platform = platform();
        ApiClient forge = platform.forge();
        RepoName name = RepoCommand.resolve(forge, repo);
        JsonNode ciHook = platform.client(CliConfig.Endpoint.CI).get("/api/v1/webhook");
        String url = ciHook.path("url").asString();
        String replaced = "";
        for (JsonNode hook : forge.get(name.apiPath() + "/hooks")) {
            if (hook.path("url").asString().equals(url)) {
                forge.delete(name.apiPath() + "/hooks/" + hook.path("id").asLong());
                replaced = " (replacing hook " + hook.path("id").asLong() + ")";
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("secret", ciHook.path("secret").asString());
        body.put("events", ciHook.path("events"));
        JsonNode created = forge.post(name.apiPath() + "/hooks", body);
        out().printf(
                "Connected %s/%s to the CI: pushes are delivered to %s, signed (hook %d)%s%n",
                name.owner(), name.name(), url, created.path("id").asLong(), replaced);
        out().flush();
        return 0;
    }
}
