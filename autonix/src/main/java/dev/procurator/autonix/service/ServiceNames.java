package dev.procurator.autonix.service;

import java.util.Locale;

/** Service names become VM names, which the cluster model requires to be DNS labels. */
public final class ServiceNames {

    private ServiceNames() {
    }

    public static String toDnsLabel(String raw) {
        String label = raw.toLowerCase(Locale.ROOT)
                .replaceAll("^@[^/]*/", "") // npm scope: "@acme/api" → "api"
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceAll("^-+|-+$", "");
        if (label.length() > 63) {
            label = label.substring(0, 63).replaceAll("-+$", "");
        }
        return label.isEmpty() ? "app" : label;
    }
}
