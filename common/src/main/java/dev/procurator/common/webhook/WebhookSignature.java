package dev.procurator.common.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook's body is signed (by the forge) and checked (by the CI service): GitHub's {@code X-Hub-Signature-256}
 * scheme, {@code sha256=} + hex HMAC-SHA256 of the exact body bytes, under Procurator's header name.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Procurator-Signature-256";

    private WebhookSignature() {
    }

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code header} is the signature of {@code body} under {@code secret}, compared in constant time. */
    public static boolean verifies(String secret, byte[] body, String header) {
        if (header == null) {
            return false;
        }
        byte[] expected = sign(secret, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.strip().getBytes(StandardCharsets.US_ASCII));
    }
}
