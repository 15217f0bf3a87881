package dev.procurator.cli.cache;

import java.io.PrintWriter;

import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "info", description = "Show a cache: URL, public key, usage, hit ratio.")
final class CacheInfoCommand extends ApiCommand {

    @Parameters(index = "0", description = "Cache name.")
    String name;

    @Override
    public Integer call() {
        print(out(), platform().cache().get("/api/v1/caches/" + name));
        return 0;
    }

    static void print(PrintWriter out, JsonNode cache) {
        long hits = cache.path("hits").asLong();
        long misses = cache.path("misses").asLong();
        out.printf("name:        %s%n", cache.path("name").asString());
        out.printf("visibility:  %s%n", cache.path("public").asBoolean() ? "public" : "private");
        out.printf("url:         %s%n", cache.path("url").asString());
        out.printf("public key:  %s%n", cache.path("publicKey").asString());
        out.printf("paths:       %d%n", cache.path("paths").asLong());
        out.printf("usage:       %s of %s%n", ByteSize.format(cache.path("usageBytes").asLong()),
                ByteSize.formatLimit(cache.path("maxSizeBytes").asLong()));
        // Counted by the instance that answered, since it started (several may serve one cache).
        out.printf("hit ratio:   %s (%d hits, %d misses on the answering instance)%n",
                hits + misses == 0 ? "-" : String.format("%.1f%%", 100.0 * hits / (hits + misses)), hits, misses);
        out.flush();
    }
}
