package dev.procurator.worker.vmm;

import java.util.List;

/** How a guest is connected. */
public sealed interface GuestNetwork {

    /** Guest port {@code guest} reachable on 127.0.0.1:{@code host}. */
    record Forward(int guest, int host) {
    }

    /**
     * User-mode networking: the guest is 10.0.2.15 behind QEMU's NAT and each forward is a {@code hostfwd} on
     * loopback. For a VMM without user-mode networking (cloud-hypervisor) the driver puts the guest on a host-only
     * tap link ({@code linkHost}/{@code linkGuest}, a link-local /30) and the agent forwards loopback to it.
     */
    record User(List<Forward> forwards, String tap, String linkHost, String linkGuest) implements GuestNetwork {
    }

    /** A tap device on a bridge; the guest's address (when fixed) is given on the kernel command line. */
    record Tap(String tap, String mac, String bridge, String address, String gateway, String netmask)
            implements GuestNetwork {
    }
}
