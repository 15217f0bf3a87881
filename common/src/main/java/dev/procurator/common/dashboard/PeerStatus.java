package dev.procurator.common.dashboard;

/**
 * A peer service as the navigation shows it.
 *
 * @param name   module name, e.g. {@code cache-service}
 * @param url    its base URL (its dashboard)
 * @param status {@code UP}, {@code DOWN}, or {@code UNREACHABLE} when it did not answer in time
 */
public record PeerStatus(String name, String url, String status) {

    public boolean up() {
        return "UP".equals(status);
    }
}
