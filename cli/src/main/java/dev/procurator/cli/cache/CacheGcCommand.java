package dev.procurator.cli.cache;

import java.util.Map;
import java.util.concurrent.Callable;

import dev.procurator.cli.api.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "gc", description = "Evict least recently used, unpinned paths over the cache's size limit now.")
final class CacheGcCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "Cache name.")
    String cache;

    @Override
    public Integer call() {
        JsonNode result = Platform.fromEnvironment().cache().post("/api/v1/caches/" + cache + "/gc", Map.of());
        spec.commandLine().getOut().printf("%s: evicted %d paths, %d files, freed %s; usage now %s%n", cache,
                result.path("evictedPaths").asLong(), result.path("collectedFiles").asLong(),
                ByteSize.format(result.path("freedBytes").asLong()), ByteSize.format(result.path("usageBytes").asLong()));
        return 0;
    }
}
