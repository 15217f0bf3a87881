package dev.procurator.cli.cache;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.procurator.cli.api.ApiCommand;
import dev.procurator.cli.api.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** Pins (GC roots): a pinned closure is never evicted. Without a path, lists the cache's pins. */
@Command(name = "pin", description = "Pin a store path's closure under a name (never evicted), or list pins.")
final class CachePinCommand extends ApiCommand {

    @Parameters(index = "0", description = "Cache name.")
    String cache;

    @Parameters(index = "1", arity = "0..1", description = "Pin name, e.g. vm-web.")
    String name;

    @Parameters(index = "2", arity = "0..1", description = "Store path, /nix/store/...")
    String storePath;

    @Option(names = "--keep", description = "Keep only the newest N pins of this name.")
    Integer keep;

    @Override
    public Integer call() {
        var client = platform().cache();
        if (name == null) {
            Table table = new Table("NAME", "STORE PATH", "CREATED");
            for (JsonNode pin : client.get("/api/v1/caches/" + cache + "/pins")) {
                table.row(pin.path("name").asString(), pin.path("storePath").asString(), pin.path("createdAt").asString());
            }
            table.print(out());
            return 0;
        }
        if (storePath == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing the store path to pin");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("storePath", storePath);
        if (keep != null) {
            body.put("keep", keep);
        }
        client.post("/api/v1/caches/" + cache + "/pins", body);
        out().printf("Pinned %s as %s in %s%n", storePath, name, cache);
        return 0;
    }
}
