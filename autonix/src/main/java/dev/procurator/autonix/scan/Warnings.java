package dev.procurator.autonix.scan;

import java.util.ArrayList;
import java.util.List;

/** Collects the warnings of one analysis, in the order they were found. */
public final class Warnings {

    private final List<Warning> warnings = new ArrayList<>();

    public void add(String path, String message) {
        warnings.add(new Warning(path, message));
    }

    public List<Warning> list() {
        return List.copyOf(warnings);
    }
}
