package dev.procurator.controlplane.scheduler;

/** How the scheduler chooses among workers that fit. Anti-affinity between replicas of one VM applies to both. */
public enum ScoringPolicy {
    /** Prefer the fullest worker that fits: keeps whole workers free for large VMs and lets idle hosts be turned off. */
    BIN_PACK,
    /** Prefer the emptiest worker: spreads load and limits what one host failure takes down. */
    SPREAD
}
