package dev.procurator.cli.up;

import java.util.List;

/**
 * One platform service as {@code procurator up} runs it.
 *
 * @param module     the Maven module, also the jar name ({@code <module>/target/<module>.jar}) and data subdirectory
 * @param portOffset its HTTP port relative to the base port (the forge's)
 * @param urlEnv     the environment variable through which its peers find it
 * @param dependsOn  the services that must be healthy before it starts
 * @param bulkData   it hashes, compresses or packs bulk data (forge, cache), so it keeps the JVM's optimizing
 *                   compiler even when the others start C1-only
 */
public record ServiceSpec(String module, int portOffset, String urlEnv, List<String> dependsOn, boolean bulkData) {

    public ServiceSpec {
        dependsOn = List.copyOf(dependsOn);
    }

    public ServiceSpec(String module, int portOffset, String urlEnv, List<String> dependsOn) {
        this(module, portOffset, urlEnv, dependsOn, false);
    }

    public int port(int basePort) {
        return basePort + portOffset;
    }
}
