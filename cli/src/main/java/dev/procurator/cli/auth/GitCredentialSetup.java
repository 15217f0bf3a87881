package dev.procurator.cli.auth;

import java.util.List;
import java.util.stream.Collectors;

import dev.procurator.cli.CliJar;
import dev.procurator.cli.api.CliException;

/**
 * Makes git ask {@code procurator auth git-credential} for the forge's credentials, as {@code gh auth setup-git} does
 * for GitHub: in the global git configuration, for the forge's URL only,
 * <pre>
 * [credential "http://localhost:7410"]
 *     helper =
 *     helper = !'/usr/lib/jvm/…/bin/java' -jar '/…/cli/target/cli.jar' auth git-credential
 * </pre>
 * The empty first line clears helpers configured for every host (a {@code store} helper would otherwise also be asked,
 * and would save the token in clear text). The token itself stays in the CLI's configuration.
 */
final class GitCredentialSetup {

    private static final String SUBCOMMAND = "auth git-credential";
    /** Matches the lines {@link #install} writes: the empty reset and the helper that runs this CLI. */
    private static final String OUR_LINES = "^(!.* " + SUBCOMMAND + ")?$";

    private final GitConfig git;

    GitCredentialSetup(GitConfig git) {
        this.git = git;
    }

    /** {@link #install} with the command that runs this very CLI (this JVM, this jar). */
    void installForThisCli(String forgeUrl) {
        install(forgeUrl, CliJar.command().orElseThrow(() -> new CliException(
                "cannot set up git: this CLI does not run from its jar (java -jar cli.jar, or ./procurator)")));
    }

    /** Idempotent: after any number of runs the forge's section holds exactly the two lines above. */
    void install(String forgeUrl, List<String> cliCommand) {
        String key = helperKey(forgeUrl);
        git.require("--replace-all", key, "");
        git.require("--add", key, helperLine(cliCommand));
    }

    /** Removes what {@link #install} wrote for the forge (helpers someone else added stay), and the section if empty. */
    void remove(String forgeUrl) {
        // Exit code 5: there was nothing to remove.
        GitConfig.Result unset = git.global("--unset-all", helperKey(forgeUrl), OUR_LINES);
        if (unset.exit() != 0 && unset.exit() != 5) {
            throw new CliException("git config --global --unset-all failed: " + unset.err());
        }
        String section = "credential." + forgeUrl + ".";
        GitConfig.Result names = git.global("--name-only", "--list");
        if (names.exit() == 0 && names.out().lines().noneMatch(name -> name.startsWith(section))) {
            git.global("--remove-section", "credential." + forgeUrl);
        }
    }

    /** The helpers git runs for the forge's URL, in order. */
    List<String> helpers(String forgeUrl) {
        GitConfig.Result result = git.global("--get-all", helperKey(forgeUrl));
        return result.exit() == 0 ? result.out().lines().toList() : List.of();
    }

    static String helperLine(List<String> cliCommand) {
        return "!" + cliCommand.stream().map(GitCredentialSetup::shellQuoted).collect(Collectors.joining(" "))
                + " " + SUBCOMMAND;
    }

    /** git runs a helper starting with {@code !} through the shell: every path is single-quoted. */
    static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String helperKey(String forgeUrl) {
        return "credential." + forgeUrl + ".helper";
    }
}
