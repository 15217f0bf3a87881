package dev.procurator.cli.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
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
 * Checks a token against the forge and saves it with the service URLs, so later commands need no environment, and
 * makes git use it for the forge (see {@link GitCredentialSetup}), so {@code git push} needs no prompt.
 * The token is read from stdin or a no-echo prompt, never from the command line (it would show in `ps`).
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Save a token and the platform's URLs, and let git use the token for the forge.",
                "The file is $XDG_CONFIG_HOME/procurator/config, by default $HOME/.config/procurator/config."})
public final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--token-stdin", description = "Read the token from standard input.")
    boolean tokenFromStdin;

    @Option(names = "--forge-url", description = "Forge base URL (default: the saved one, else the local forge, port 7410).")
    String forgeUrl;

    @Option(names = "--ci-url", description = "CI service base URL.")
    String ciUrl;

    @Option(names = "--cache-url", description = "Cache service base URL.")
    String cacheUrl;

    @Option(names = "--control-plane-rpc", description = "Control plane Cap'n Proto endpoint, host:port.")
    String controlPlaneRpc;

    @Option(names = "--no-git", description = "Leave git's configuration alone (by default git gets its credentials "
            + "for the forge from procurator: 'procurator auth setup-git').")
    boolean noGit;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        Map<String, String> urls = new LinkedHashMap<>();
        putIfSet(urls, CliConfig.Endpoint.FORGE, forgeUrl);
        putIfSet(urls, CliConfig.Endpoint.CI, ciUrl);
        putIfSet(urls, CliConfig.Endpoint.CACHE, cacheUrl);
        putIfSet(urls, CliConfig.Endpoint.CONTROL_PLANE_RPC, controlPlaneRpc);

        CliConfig current = CliConfig.load(env);
        String token = readToken(env);
        String forge = current.loggedIn(token, null, urls).url(CliConfig.Endpoint.FORGE);
        String user = new ApiClient(forge, token).get("/api/v1/user").path("name").asString();
        CliConfig updated = current.loggedIn(token, user, urls);
        Path file = CliConfig.file(env);
        updated.save(file);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Logged in to %s as %s; saved to %s%n", forge, user, file);
        if (!noGit) {
            setUpGit(current.url(CliConfig.Endpoint.FORGE), forge, out, spec.commandLine().getErr());
        }
        out.flush();
        return 0;
    }

    /** git is a convenience here: without it (or without the jar) login still succeeds, with a note. */
    private static void setUpGit(String previousForge, String forge, PrintWriter out, PrintWriter err) {
        GitCredentialSetup git = new GitCredentialSetup(new GitConfig());
        try {
            if (!previousForge.equals(forge)) {
                git.remove(previousForge);
            }
            git.installForThisCli(forge);
            out.printf("git: pushes to %s authenticate with this token (credential helper in your global git config)%n",
                    forge);
        } catch (CliException e) {
            err.printf("procurator: %s; git will ask for credentials (run 'procurator auth setup-git' later)%n",
                    e.getMessage());
            err.flush();
        }
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

    private static void putIfSet(Map<String, String> urls, CliConfig.Endpoint endpoint, String value) {
        if (value != null && !value.isBlank()) {
            urls.put(endpoint.key(), value.strip().replaceAll("/+$", ""));
        }
    }
}
