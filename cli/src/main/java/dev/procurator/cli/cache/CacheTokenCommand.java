package dev.procurator.cli.cache;

import java.util.Map;
import java.util.concurrent.Callable;

import dev.procurator.cli.api.Platform;
import dev.procurator.cli.api.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/** {@code procurator cache token create|list|revoke}: tokens scoped to one cache. */
@Command(name = "token", description = "Manage a cache's tokens (read, write, admin).",
        subcommands = {CacheTokenCommand.Create.class, CacheTokenCommand.List.class, CacheTokenCommand.Revoke.class})
final class CacheTokenCommand {

    @Command(name = "create", description = "Create a token; it is shown once.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Cache name.")
        String cache;
        @Parameters(index = "1", description = "A name for the token, e.g. ci.")
        String name;
        @Option(names = "--scope", defaultValue = "read", description = "read, write or admin (default: ${DEFAULT-VALUE}).")
        String scope;

        @Override
        public Integer call() {
            JsonNode token = Platform.fromEnvironment().cache()
                    .post("/api/v1/caches/" + cache + "/tokens", Map.of("name", name, "scope", scope));
            spec.commandLine().getOut().println(token.path("token").asString());
            spec.commandLine().getErr().printf("Token %s (%s, id %d) for cache %s: store it now, it is not shown again.%n",
                    name, scope, token.path("id").asLong(), cache);
            return 0;
        }
    }

    @Command(name = "list", description = "List a cache's tokens (never their secrets).")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Cache name.")
        String cache;

        @Override
        public Integer call() {
            Table table = new Table("ID", "NAME", "SCOPE", "CREATED");
            for (JsonNode token : Platform.fromEnvironment().cache().get("/api/v1/caches/" + cache + "/tokens")) {
                table.row(token.path("id").asLong(), token.path("name").asString(), token.path("scope").asString(),
                        token.path("createdAt").asString());
            }
            table.print(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token at once.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Cache name.")
        String cache;
        @Parameters(index = "1", description = "Token id (from 'procurator cache token list').")
        long id;

        @Override
        public Integer call() {
            Platform.fromEnvironment().cache().delete("/api/v1/caches/" + cache + "/tokens/" + id);
            spec.commandLine().getOut().printf("Revoked token %d of cache %s%n", id, cache);
            return 0;
        }
    }
}
