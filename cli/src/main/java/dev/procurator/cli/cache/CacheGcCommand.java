package dev.procurator.cli.cache;

import java.util.Map;

import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "gc", description = "Evict least recently used, unpinned paths over the cache's size limit now.")
final class CacheGcCommand extends ApiCommand {

    @Parameters(index = "0", description = "Cache name.")
    String cache;

    @Override
    public Integer call() {
        JsonNode result = platform().cache().post("/api/v1/caches/" + cache + "/gc", Map.of());
        out().printf("%s: evicted %d paths, %d files, freed %s; usage now %s%n", cache,
                result.path("evictedPaths").asLong(), result.path("collectedFiles").asLong(),
                ByteSize.format(result.path("freedBytes").asLong()), ByteSize.format(result.path("usageBytes").asLong()));
        return 0;
    }
}
