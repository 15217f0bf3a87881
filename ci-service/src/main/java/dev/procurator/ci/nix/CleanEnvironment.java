package dev.procurator.ci.nix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.procurator.common.process.Command;

/**
 * Runs a program with exactly the variables given, through {@code env -i}: a child of the service would otherwise
 * inherit its whole environment (PROCURATOR_ADMIN_TOKEN, PROCURATOR_FORGE_TOKEN, PROCURATOR_CACHE_TOKEN, the webhook
 * secret, the database password), and what CI runs comes from pushed repositories.
 */
public final class CleanEnvironment {

    private CleanEnvironment() {
    }

    public static Command command(Map<String, String> environment, List<String> argv) {
        List<String> full = new ArrayList<>(List.of("env", "-i", "--"));
        environment.forEach((name, value) -> full.add(name + "=" + value));
        full.addAll(argv);
        return Command.of(full);
    }
}
