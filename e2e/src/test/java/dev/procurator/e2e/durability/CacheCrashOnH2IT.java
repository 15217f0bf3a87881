package dev.procurator.e2e.durability;

import java.util.Map;

/** The crash tests on the embedded default: an H2 file in the data dir, each commit written before it returns. */
class CacheCrashOnH2IT extends CacheCrashContract {

    @Override
    Map<String, String> database() {
        return Map.of();
    }
}
