package dev.procurator.cache.nix;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 hashes as narinfos write them: {@code sha256:<52 base32 chars>} (base16 and SRI forms accepted on input). */
public final class NixHash {

    private static final String PREFIX = "sha256:";

    private NixHash() {
    }

    /** Normalises any accepted form to {@code sha256:<base32>}; {@link IllegalArgumentException} otherwise. */
    public static String normalize(String text) {
        if (text.startsWith("sha256-")) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text.substring(7));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid SRI hash '" + StorePath.abbreviate(text) + "'");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException("an SRI sha256 hash holds 32 bytes");
            }
            return format(bytes);
        }
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("only sha256 hashes are accepted, got '" + StorePath.abbreviate(text) + "'");
        }
        String digits = text.substring(PREFIX.length());
        if (digits.length() == 64) {
            try {
                return format(HexFormat.of().parseHex(digits));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid base16 hash '" + StorePath.abbreviate(text) + "'");
            }
        }
        NixBase32.decode(digits, 32);
        return text;
    }

    public static String format(byte[] sha256) {
        return PREFIX + NixBase32.encode(sha256);
    }

    /** The base32 digits of a normalised hash (what NAR file names are made of). */
    public static String digits(String normalized) {
        return normalized.substring(PREFIX.length());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
