package dev.procurator.cli.cache;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.procurator.cli.api.ApiCommand;
import dev.procurator.cli.api.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code procurator cache token create|list|revoke}: tokens scoped to one cache. */
@Command(name = "token", description = "Manage a cache's tokens (read, write, admin).",
        subcommands = {CacheTokenCommand.Create.class, CacheTokenCommand.List.class, CacheTokenCommand.Revoke.class})
final class CacheTokenCommand {

    @Command(name = "create", description = "Create a token; it is shown once.")
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "Cache name.")
        String cache;
        @Parameters(index = "1", description = "A name for the token, e.g. ci.")
        String name;
        @Option(names = "--scope", defaultValue = "read", description = "read, write or admin (default: ${DEFAULT-VALUE}).")
        String scope;
        @Option(names = "--expires-at", description = "When it stops working, e.g. 2027-01-01T00:00:00Z (default: never).")
        String expiresAt;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "scope", scope));
            if (expiresAt != null) {
                body.put("expiresAt", expiresAt);
            }
            JsonNode token = platform().cache().post("/api/v1/caches/" + cache + "/tokens", body);
            printSecretOnce(token.path("token").asString(), String.format("Token %s (%s, id %d) for cache %s",
                    name, scope, token.path("id").asLong(), cache));
            return 0;
        }
    }

    @Command(name = "list", description = "List a cache's tokens (never their secrets).")
    static final class List extends ApiCommand {
        @Parameters(index = "0", description = "Cache name.")
        String cache;

        @Override
        public Integer call() {
            Table table = new Table("ID", "NAME", "SCOPE", "CREATED", "LAST USED", "EXPIRES");
            for (JsonNode token : platform().cache().get("/api/v1/caches/" + cache + "/tokens")) {
                table.row(token.path("id").asLong(), token.path("name").asString(), token.path("scope").asString(),
                        token.path("createdAt").asString(), token.path("lastUsedAt").asString(null),
                        token.path("expiresAt").asString(null));
            }
            table.print(out());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token at once.")
    static final class Revoke extends ApiCommand {
        @Parameters(index = "0", description = "Cache name.")
        String cache;
        @Parameters(index = "1", description = "Token id (from 'procurator cache token list').")
        long id;

        @Override
        public Integer call() {
            platform().cache().delete("/api/v1/caches/" + cache + "/tokens/" + id);
            out().printf("Revoked token %d of cache %s%n", id, cache);
            return 0;
        }
    }
}
