package dev.procurator.autonix.build;

import java.util.List;

/**
 * One buildable project in the repository.
 *
 * @param tool      the tool that drives it ("maven", "npm", "cargo", ...)
 * @param dir       its directory relative to the repository root ("." for the root)
 * @param manifest  the file it was recognised by, relative to the root
 * @param lockfiles lockfile names present in {@code dir}
 * @param check     the shell command that verifies it (tests, linters), run in {@code dir}; null when none is known
 * @param build     the shell command that builds it, run in {@code dir}; null when none is known
 */
public record BuildSystem(String tool, String dir, String manifest, List<String> lockfiles, String check,
                          String build) {
}
