package dev.procurator.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's host name: the default worker id and the host part of the addresses the agent announces. */
public final class HostName {

    private HostName() {
    }

    public static String get() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
