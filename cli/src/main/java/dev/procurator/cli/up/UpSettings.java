package dev.procurator.cli.up;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code procurator up} was asked to do, resolved.
 *
 * @param home        the source tree holding {@code <module>/target/<module>.jar}
 * @param verbose     show every line the services print, not only their warnings and errors
 * @param environment procurator's own environment, read for overrides and passed on to the services
 * @param demo        also push the example cluster and follow it until it runs ({@link Demo})
 */
public record UpSettings(
        List<ServiceSpec> services,
        Path home,
        Path dataDir,
        int basePort,
        Duration timeout,
        Duration grace,
        JvmLaunch jvm,
        boolean verbose,
        Map<String, String> environment,
        boolean demo) {

    public Path jar(ServiceSpec spec) {
        return home.resolve(spec.module()).resolve("target").resolve(spec.module() + ".jar");
    }
}
