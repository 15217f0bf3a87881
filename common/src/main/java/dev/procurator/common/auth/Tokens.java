package dev.procurator.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token generation and hashing. Tokens are 256 random bits, so a plain SHA-256 is a safe at-rest form (as GitHub
 * does for its tokens): no salt or slow hash is needed against guessing, and lookup stays an index seek.
 */
public final class Tokens {

    /** Every Procurator token starts with this, so secret scanners and humans can recognise one. */
    public static final String PREFIX = "pcr_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of the token: what is stored and looked up. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Compares two tokens in constant time, so response timing does not reveal a matching prefix. */
    public static boolean matches(String expected, String candidate) {
        return expected != null && candidate != null && MessageDigest.isEqual(sha256(expected), sha256(candidate));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
