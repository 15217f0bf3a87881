package dev.procurator.cli.cache;

import java.util.concurrent.Callable;

import dev.procurator.cli.api.Platform;
import dev.procurator.cli.api.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "list", description = "List the caches you can read.")
final class CacheListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Table table = new Table("NAME", "VISIBILITY", "PATHS", "USAGE", "LIMIT", "URL");
        for (JsonNode cache : Platform.fromEnvironment().cache().get("/api/v1/caches")) {
            table.row(cache.path("name").asString(), cache.path("public").asBoolean() ? "public" : "private",
                    cache.path("paths").asLong(), ByteSize.format(cache.path("usageBytes").asLong()),
                    ByteSize.formatLimit(cache.path("maxSizeBytes").asLong()), cache.path("url").asString());
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
