package dev.procurator.controlplane.generation;

import java.util.regex.Pattern;

/** A repository and branch whose CI publishes generations: {@code <owner>/<repo>@<branch>}. */
public record Source(String repository, String branch) {

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9._-]+/[A-Za-z0-9._-]+");

    /** @throws IllegalArgumentException when the repository is not {@code owner/repo} or the branch is empty */
    public Source {
        if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("repository must be <owner>/<repo>, got \"" + repository + "\"");
        }
        if (branch == null || branch.isBlank() || branch.contains("@")) {
            throw new IllegalArgumentException("branch must be a branch name, got \"" + branch + "\"");
        }
    }

    public static Source parse(String text) {
        int at = text == null ? -1 : text.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("a source is <owner>/<repo>@<branch>, got \"" + text + "\"");
        }
        return new Source(text.substring(0, at), text.substring(at + 1));
    }

    @Override
    public String toString() {
        return repository + "@" + branch;
    }
}
