package dev.procurator.worker.vmm;

/** What the agent adds to every guest's kernel command line. */
public final class KernelOptions {

    /**
     * The clock options of shared notes/vm.md: without them a guest booted while the host CPU is contended marks the
     * TSC unstable and hangs (4 of 5 did under TCG).
     */
    public static final String CLOCK = "tsc_early_khz=2600000 lpj=10400000 no_timer_check";

    private KernelOptions() {
    }

    /** The kernel's {@code ip=<client>::<gateway>:<netmask>::eth0:off} (static address, read by the guest's init). */
    public static String ip(String client, String gateway, String netmask) {
        return "ip=" + client + "::" + (gateway == null ? "" : gateway) + ":" + netmask + "::eth0:off";
    }
}
