package dev.procurator.autonix.scan;

/** Something the analyzer could not read or understand; reported instead of failing the whole analysis. */
public record Warning(String path, String message) {
}
