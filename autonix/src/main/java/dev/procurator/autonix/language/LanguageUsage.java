package dev.procurator.autonix.language;

/** One language of a repository and how many of its files are written in it. */
public record LanguageUsage(String name, int files) {
}
