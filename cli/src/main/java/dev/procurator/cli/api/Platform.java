package dev.procurator.cli.api;

import java.util.Map;

/** The platform as this CLI invocation sees it: its configuration and a client per service. */
public final class Platform {

    private final CliConfig config;

    public Platform(CliConfig config) {
        this.config = config;
    }

    public static Platform fromEnvironment() {
        return new Platform(CliConfig.load(System.getenv()));
    }

    public static Platform of(Map<String, String> env) {
        return new Platform(CliConfig.load(env));
    }

    public CliConfig config() {
        return config;
    }

    public ApiClient forge() {
        return client(CliConfig.Endpoint.FORGE);
    }

    public ApiClient cache() {
        return client(CliConfig.Endpoint.CACHE);
    }

    public ApiClient client(CliConfig.Endpoint endpoint) {
        return new ApiClient(config.url(endpoint), config.requireToken());
    }
}
