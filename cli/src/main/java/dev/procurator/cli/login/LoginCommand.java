package dev.procurator.cli.login;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.procurator.cli.api.ApiClient;
import dev.procurator.cli.api.CliConfig;
import dev.procurator.cli.api.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Checks a token against the forge and saves it with the service URLs, so later commands need no environment.
 * The token is read from stdin or a no-echo prompt, never from the command line (it would show in `ps`).
 */
@Command(name = "login", description = "Save a token and the platform's URLs to ~/.config/procurator/config.")
public final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--token-stdin", description = "Read the token from standard input.")
    boolean tokenFromStdin;

    @Option(names = "--forge-url", description = "Forge base URL (default: http://localhost:7410).")
    String forgeUrl;

    @Option(names = "--ci-url", description = "CI service base URL.")
    String ciUrl;

    @Option(names = "--cache-url", description = "Cache service base URL.")
    String cacheUrl;

    @Option(names = "--control-plane-rpc", description = "Control plane Cap'n Proto endpoint, host:port.")
    String controlPlaneRpc;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        Map<String, String> urls = new LinkedHashMap<>();
        putIfSet(urls, "forge-url", forgeUrl);
        putIfSet(urls, "ci-url", ciUrl);
        putIfSet(urls, "cache-url", cacheUrl);
        putIfSet(urls, "control-plane-rpc", controlPlaneRpc);

        CliConfig current = CliConfig.load(env);
        String token = readToken(env);
        CliConfig updated = current.with(token, urls);

        String forge = updated.url(CliConfig.Endpoint.FORGE);
        String user = new ApiClient(forge, token).get("/api/v1/user").path("name").asString();
        Path file = CliConfig.file(env);
        updated.save(file);
        spec.commandLine().getOut().printf("Logged in to %s as %s; saved to %s%n", forge, user, file);
        return 0;
    }

    private String readToken(Map<String, String> env) {
        String token;
        if (tokenFromStdin) {
            token = firstLineOfStdin();
        } else if (env.get("PROCURATOR_TOKEN") != null) {
            token = env.get("PROCURATOR_TOKEN");
        } else {
            Console console = System.console();
            if (console == null) {
                throw new CliException("No terminal to ask for the token: use --token-stdin or PROCURATOR_TOKEN.");
            }
            char[] typed = console.readPassword("Token: ");
            token = typed == null ? "" : new String(typed);
        }
        if (token == null || token.isBlank()) {
            throw new CliException("An empty token was given.");
        }
        return token.strip();
    }

    private static String firstLineOfStdin() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new CliException("Cannot read the token from stdin: " + e.getMessage());
        }
    }

    private static void putIfSet(Map<String, String> urls, String key, String value) {
        if (value != null && !value.isBlank()) {
            urls.put(key, value);
        }
    }
}
