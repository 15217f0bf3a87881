package dev.procurator.worker.network;

import java.util.Set;

/**
 * Host-only /30 links for guests whose VMM has no user-mode network (cloud-hypervisor): link-local addresses
 * 169.254.200.0 - 169.254.254.255 (never routed off the host; 169.254.169.254, the cloud metadata address, is not
 * among them). Link {@code n} is {@code 169.254.(200 + n/64).(n%64*4)/30}: host {@code .1}, guest {@code .2}.
 */
public final class LinkAddresses {

    private static final int LINKS = 55 * 64;

    private LinkAddresses() {
    }

    /** The lowest link not in {@code used}. */
    public static int allocate(Set<Integer> used) {
        for (int n = 0; n < LINKS; n++) {
            if (!used.contains(n)) {
                return n;
            }
        }
        throw new IllegalStateException("all " + LINKS + " host-only links are in use");
    }

    public static String host(int link) {
        return base(link) + ((link % 64) * 4 + 1);
    }

    public static String guest(int link) {
        return base(link) + ((link % 64) * 4 + 2);
    }

    private static String base(int link) {
        return "169.254." + (200 + link / 64) + ".";
    }
}
