package dev.procurator.ci.log;

import java.util.List;
import java.util.Objects;

/**
 * Replaces the service's own secrets (admin, forge and cache tokens, the webhook secret) in step output, should one
 * ever reach it (a URL with credentials in an error message). A safety net only: untrusted commands never receive
 * these secrets in the first place.
 */
public final class SecretRedactor {

    public static final String MARK = "[redacted]";

    /** Shorter values would match ordinary text; every real secret here is far longer. */
    private static final int MIN_LENGTH = 12;

    private final List<String> secrets;

    public SecretRedactor(List<String> secrets) {
        this.secrets = secrets.stream().filter(Objects::nonNull).map(String::strip)
                .filter(secret -> secret.length() >= MIN_LENGTH).distinct().toList();
    }

    public String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, MARK);
            }
        }
        return result;
    }
}
