package dev.procurator.cli.token;

import java.util.List;
import java.util.Map;

import dev.procurator.cli.api.ApiCommand;
import dev.procurator.cli.api.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code procurator token create|list|revoke}: your personal access tokens on the forge. */
@Command(name = "token", description = "Manage your personal access tokens.", mixinStandardHelpOptions = true,
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand {

    @Command(name = "create", description = "Create a token; it is printed once.")
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "A name, e.g. laptop or ci.")
        String name;
        @Option(names = "--scope", split = ",", defaultValue = "read,write",
                description = "read, write, admin (default: ${DEFAULT-VALUE}).")
        List<String> scopes;

        @Override
        public Integer call() {
            JsonNode token = platform().forge()
                    .post("/api/v1/user/tokens", Map.of("name", name, "scopes", scopes));
            printSecretOnce(token.path("token").asString(), String.format("Token %s (id %d, %s)",
                    name, token.path("id").asLong(), String.join(",", scopes)));
            return 0;
        }
    }

    @Command(name = "list", description = "List your tokens (never their secrets).")
    static final class ListTokens extends ApiCommand {
        @Override
        public Integer call() {
            Table table = new Table("ID", "NAME", "SCOPES", "CREATED", "LAST USED", "REVOKED");
            for (JsonNode token : platform().forge().get("/api/v1/user/tokens")) {
                table.row(token.path("id").asLong(), token.path("name").asString(), token.path("scopes").toString(),
                        token.path("createdAt").asString(), token.path("lastUsedAt").asString(null),
                        token.path("revokedAt").asString(null));
            }
            table.print(out());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token at once.")
    static final class Revoke extends ApiCommand {
        @Parameters(index = "0", description = "Token id (from 'procurator token list').")
        long id;

        @Override
        public Integer call() {
            platform().forge().delete("/api/v1/user/tokens/" + id);
            out().printf("Revoked token %d%n", id);
            return 0;
        }
    }
}
