package dev.procurator.cli.cache;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "create", description = "Create a cache (platform admin).")
final class CacheCreateCommand extends ApiCommand {

    @Parameters(index = "0", description = "Cache name.")
    String name;

    @Option(names = "--public", description = "Anyone may read it (default: private).")
    boolean isPublic;

    @Option(names = "--max-size", description = "Size limit, e.g. 20G, 500M (default: unlimited).",
            converter = ByteSize.class)
    Long maxSize;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("public", isPublic);
        if (maxSize != null) {
            body.put("maxSizeBytes", maxSize);
        }
        JsonNode cache = platform().cache().post("/api/v1/caches", body);
        CacheInfoCommand.print(out(), cache);
        return 0;
    }
}
