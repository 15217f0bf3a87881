package dev.procurator.worker.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on loopback for VMs' forwarded ports. The kernel may hand a port that was just probed and released
 * to the next caller, so ports given to VMs are remembered here until released: replicas started at once never get
 * the same one.
 */
public final class Ports {

    private final java.util.Set<Integer> taken = new java.util.HashSet<>();

    /** A free loopback port no VM of this agent holds. */
    public synchronized int allocate() {
        while (true) {
            int port = freeLoopbackPort();
            if (taken.add(port)) {
                return port;
            }
        }
    }

    /** Marks ports as held (an adopted VM's), or gives them back. */
    public synchronized void hold(java.util.Collection<Integer> ports) {
        taken.addAll(ports);
    }

    public synchronized void release(java.util.Collection<Integer> ports) {
        taken.removeAll(ports);
    }

    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }
}
