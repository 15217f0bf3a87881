package dev.procurator.e2e.controlplane;

import java.util.Map;

/** The control plane's crash safety on the embedded default (H2 in the data dir). */
class ControlPlaneCrashOnH2IT extends ControlPlaneCrashContract {

    @Override
    Map<String, String> database() {
        return Map.of();
    }
}
