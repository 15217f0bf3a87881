package dev.procurator.ci.webhook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.common.auth.SecretFile;
import dev.procurator.common.config.ProcuratorProperties;

/**
 * The HMAC key the forge signs its deliveries with: {@code PROCURATOR_CI_WEBHOOK_SECRET}, else the one generated into
 * {@code <data dir>/webhook-secret} (mode 600) on first start. {@code procurator repo connect} hands it to the forge,
 * so nobody copies it by hand. Never logged.
 */
@Component
public class WebhookSecret {

    public static final String FILE_NAME = "webhook-secret";
    public static final String SIGNATURE_HEADER = "X-Procurator-Signature-256";

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

    /** Whether {@code header} is {@code sha256=<hex HMAC-SHA256 of body>} under this secret (constant time). */
    public boolean verifies(byte[] body, String header) {
        if (header == null) {
            return false;
        }
        byte[] expected = sign(secret, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.strip().getBytes(StandardCharsets.US_ASCII));
    }

    /** GitHub's {@code X-Hub-Signature-256} scheme, as the forge signs. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
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
