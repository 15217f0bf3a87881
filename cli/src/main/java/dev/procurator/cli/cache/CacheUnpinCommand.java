package dev.procurator.cli.cache;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.procurator.cli.api.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unpin", description = "Remove the pins of a name (or only one path's pin).")
final class CacheUnpinCommand extends ApiCommand {

    @Parameters(index = "0", description = "Cache name.")
    String cache;

    @Parameters(index = "1", description = "Pin name.")
    String name;

    @Parameters(index = "2", arity = "0..1", description = "Only this store path's pin.")
    String storePath;

    @Override
    public Integer call() {
        String path = "/api/v1/caches/" + cache + "/pins/" + name
                + (storePath == null ? "" : "?storePath=" + URLEncoder.encode(storePath, StandardCharsets.UTF_8));
        platform().cache().delete(path);
        out().printf("Unpinned %s%s in %s%n", name, storePath == null ? "" : " " + storePath, cache);
        return 0;
    }
}
