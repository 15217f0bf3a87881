package dev.procurator.worker.vmm;

import java.time.Duration;

/** A running VMM process with one guest. */
public interface VmmInstance {

    long pid();

    /** Whether the VMM process is alive and its guest running (asked over its control socket). */
    boolean running();

    /** Powers the guest off (ACPI), waiting at most {@code grace}, then stops the VMM for good. */
    void stop(Duration grace);
}
