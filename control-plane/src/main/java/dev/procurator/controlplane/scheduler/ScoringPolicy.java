package dev.procurator.controlplane.scheduler;

/** How the scheduler chooses among workers that fit. Anti-affinity between replicas of one VM applies to both. */
public enum ScoringPolicy {
    /**
     * Prefer the fullest worker that fits, general-purpose workers before labelled ones: keeps whole workers free
     * for large VMs, labelled ones for the VMs that need their labels, and lets idle hosts be turned off.
     */
    BIN_PACK,
    /** Prefer the emptiest worker: spreads load and limits what one host failure takes down. */
    SPREAD
}
