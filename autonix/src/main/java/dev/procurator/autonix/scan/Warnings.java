package dev.procurator.autonix.scan;

import java.util.ArrayList;
import java.util.List;

/** Collects the warnings of one analysis, in the order they were found. */
public final class Warnings {

    private final List<Warning> warnings = new ArrayList<>();

    /** Two detectors reading the same broken file report it once. */
    public void add(String path, String message) {
        Warning warning = new Warning(path, message);
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    public List<Warning> list() {
        return List.copyOf(warnings);
    }
}
