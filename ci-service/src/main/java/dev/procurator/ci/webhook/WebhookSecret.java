package dev.procurator.ci.webhook;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.common.auth.SecretFile;
import dev.procurator.common.config.ProcuratorProperties;
import dev.procurator.common.webhook.WebhookSignature;

/**
 * The HMAC key the forge signs its deliveries with: {@code PROCURATOR_CI_WEBHOOK_SECRET}, else the one generated into
 * {@code <data dir>/webhook-secret} (mode 600) on first start. {@code procurator repo connect} hands it to the forge,
 * so nobody copies it by hand. Never logged.
 */
@Component
public class WebhookSecret {

    public static final String FILE_NAME = "webhook-secret";

    private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);

    private final String secret;

    WebhookSecret(CiProperties properties, ProcuratorProperties platform) {
        this.secret = properties.webhookSecret() != null && !properties.webhookSecret().isBlank()
                ? properties.webhookSecret().strip()
                : readOrCreate(platform.dataDir().resolve(FILE_NAME));
    }

    /** For the connect endpoint and the log redactor only. */
    public String value() {
        return secret;
    }

    /** Whether {@code header} is the forge's signature of {@code body} under this secret ({@link WebhookSignature}). */
    public boolean verifies(byte[] body, String header) {
        return WebhookSignature.verifies(secret, body, header);
    }

    private static String readOrCreate(Path file) {
        SecretFile.Secret secret = SecretFile.readOrCreate(file, () -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return HexFormat.of().formatHex(random);
        });
        if (secret.generated()) {
            log.info("Generated the webhook secret in {}", file);
        }
        return secret.value();
    }
}
