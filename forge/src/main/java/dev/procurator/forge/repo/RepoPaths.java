package dev.procurator.forge.repo;

/**
 * URL patterns of repository pages, {@code /<owner>/<repo>}. The owner pattern skips the forge's own top-level paths
 * (static files under {@code /procurator/}, the actuator, the API), which are also reserved user names.
 */
public final class RepoPaths {

    public static final String PAGES = "/{owner:(?!(?:procurator|actuator|api|system|error)$)[a-z0-9][a-z0-9-]*}"
            + "/{repo:[A-Za-z0-9][A-Za-z0-9._-]*}";

    private RepoPaths() {
    }
}
