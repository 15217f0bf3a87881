package dev.procurator.cli.cache;


import dev.procurator.cli.api.ApiCommand;
import dev.procurator.cli.api.Table;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

@Command(name = "list", description = "List the caches you can read.")
final class CacheListCommand extends ApiCommand {

    @Override
    public Integer call() {
        Table table = new Table("NAME", "VISIBILITY", "PATHS", "USAGE", "LIMIT", "URL");
        for (JsonNode cache : platform().cache().get("/api/v1/caches")) {
            table.row(cache.path("name").asString(), cache.path("public").asBoolean() ? "public" : "private",
                    cache.path("paths").asLong(), ByteSize.format(cache.path("usageBytes").asLong()),
                    ByteSize.formatLimit(cache.path("maxSizeBytes").asLong()), cache.path("url").asString());
        }
        table.print(out());
        return 0;
    }
}
