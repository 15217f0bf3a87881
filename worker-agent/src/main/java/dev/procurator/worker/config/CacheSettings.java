package dev.procurator.worker.config;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where closures come from: the agent's own cache ({@code PROCURATOR_CACHE_URL}, cache {@code main}) and, when set,
 * its public key ({@code PROCURATOR_CACHE_PUBLIC_KEY}); the assignment's cache is used only when the agent has none
 * configured. Read from the environment as given, because {@code ProcuratorProperties} fills in a localhost default
 * that would hide "not configured".
 */
@Component
public class CacheSettings {

    public static final String CACHE_NAME = "main";

    private final String baseUrl;
    private final String publicKey;

    @Autowired
    public CacheSettings(Environment env) {
        this(env.getProperty("procurator.cache-url"), env.getProperty("procurator.cache-public-key"));
    }

    public CacheSettings(String baseUrl, String publicKey) {
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip().replaceAll("/+$", "");
        this.publicKey = publicKey == null || publicKey.isBlank() ? null : publicKey.strip();
    }

    /** The cache-service base URL ({@code http://host:7430}), or null when the agent has none configured. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The configured key ({@code name:base64}), or null: then it is read from the cache-service. */
    public String publicKey() {
        return publicKey;
    }
}
