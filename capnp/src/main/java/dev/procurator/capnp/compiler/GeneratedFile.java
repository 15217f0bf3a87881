package dev.procurator.capnp.compiler;

/** A generated Java file: its path below the output directory and its content. */
public record GeneratedFile(String path, String source) {
}
