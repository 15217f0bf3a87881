package dev.procurator.controlplane.leader;

/** The leading instance as it advertised itself in the {@code leader} table. */
public record LeaderInfo(String instance, String rpcAddress, String httpUrl, long since) {
}
