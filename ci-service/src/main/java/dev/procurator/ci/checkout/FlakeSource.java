package dev.procurator.ci.checkout;

import java.nio.file.Path;

/**
 * A commit in the service's cached clone, as Nix addresses it: {@code git+file://<clone>?ref=<keep ref>&rev=<sha>}.
 * The keep ref ({@code refs/procurator/commits/<sha>}) lets Nix fetch exactly this commit even after the branch moved
 * on or was force-pushed, and keeps it for retries.
 */
public record FlakeSource(String repo, Path gitDir, String commit) {

    public static final String KEEP_PREFIX = "refs/procurator/commits/";

    public String keepRef() {
        return KEEP_PREFIX + commit;
    }

    /** The flake reference every {@code nix} command of the pipeline uses. */
    public String flakeRef() {
        return "git+file://" + gitDir + "?ref=" + keepRef() + "&rev=" + commit;
    }

    /** The flake reference as a Nix string literal, for {@code builtins.getFlake}. */
    public String nixString() {
        return "\"" + flakeRef().replace("\\", "\\\\").replace("\"", "\\\"").replace("${", "\\${") + "\"";
    }
}
