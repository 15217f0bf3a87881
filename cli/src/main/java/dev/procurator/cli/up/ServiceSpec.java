package dev.procurator.cli.up;

import java.util.List;

/**
 * One platform service as {@code procurator up} runs it.
 *
 * @param module     the Maven module, also the jar name ({@code <module>/target/<module>.jar}) and data subdirectory
 * @param title      the title its dashboard shows
 * @param portOffset its HTTP port relative to the base port (7410 by default)
 * @param urlEnv     the environment variable through which its peers find it
 * @param dependsOn  the services that must be healthy before it starts
 * @param bulkData   it hashes, compresses or packs bulk data (forge, cache), so it keeps the JVM's optimizing
 *                   compiler even when the others start C1-only
 */
public record ServiceSpec(String module, String title, int portOffset, String urlEnv, List<String> dependsOn,
                          boolean bulkData) {

    public ServiceSpec {
        dependsOn = List.copyOf(dependsOn);
    }

    public ServiceSpec(String module, String title, int portOffset, String urlEnv, List<String> dependsOn) {
        this(module, title, portOffset, urlEnv, dependsOn, false);
    }

    public int port(int basePort) {
        return basePort + portOffset;
    }
}
