package dev.procurator.autonix.build;

import java.util.List;

import dev.procurator.autonix.scan.ParsedFiles;

/** Recognises one family of build tools by its manifest files and derives its commands. */
interface BuildRule {

    /** Manifest file names, most specific first; the first one present in a directory names the project. */
    List<String> manifests();

    /** Inspects a directory that holds {@code manifest} (a path relative to the repository root). */
    BuildSystem inspect(ParsedFiles files, String dir, String manifest);
}
