package dev.procurator.worker.vm;

/** A replica's phase, as {@code VmPhase} in common.capnp names them. */
public enum Phase {
    PENDING, FETCHING, STARTING, RUNNING, STOPPING, STOPPED, FAILED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
