package dev.procurator.cache.nix;

/**
 * Nix's base32: its own alphabet (no e, o, u, t) and its own bit order (the last character holds the lowest bits),
 * so it matches no RFC 4648 variant. Used for store path hashes (20 bytes, 32 chars) and sha256 (32 bytes, 52 chars).
 */
public final class NixBase32 {

    public static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";

    private static final byte[] DIGITS = new byte[128];

    static {
        java.util.Arrays.fill(DIGITS, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGITS[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private NixBase32() {
    }

    public static int encodedLength(int bytes) {
        return (bytes * 8 - 1) / 5 + 1;
    }

    public static String encode(byte[] hash) {
        int length = encodedLength(hash.length);
        StringBuilder out = new StringBuilder(length);
        for (int n = length - 1; n >= 0; n--) {
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            int c = (hash[i] & 0xff) >>> j;
            if (i < hash.length - 1) {
                c |= (hash[i + 1] & 0xff) << (8 - j);
            }
            out.append(ALPHABET.charAt(c & 0x1f));
        }
        return out.toString();
    }

    /** Decodes {@code text} into {@code bytes} bytes; throws {@link IllegalArgumentException} on anything invalid. */
    public static byte[] decode(String text, int bytes) {
        if (text.length() != encodedLength(bytes)) {
            throw new IllegalArgumentException("a " + bytes + "-byte hash is " + encodedLength(bytes)
                    + " base32 characters, not " + text.length());
        }
        byte[] hash = new byte[bytes];
        for (int n = 0; n < text.length(); n++) {
            char ch = text.charAt(text.length() - n - 1);
            int digit = ch < 128 ? DIGITS[ch] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("'" + ch + "' is not a Nix base32 character");
            }
            int b = n * 5;
            int i = b / 8;
            int j = b % 8;
            hash[i] |= (byte) (digit << j);
            int carry = digit >>> (8 - j);
            if (i < bytes - 1) {
                hash[i + 1] |= (byte) carry;
            } else if (carry != 0) {
                throw new IllegalArgumentException("base32 hash has bits beyond its length");
            }
        }
        return hash;
    }

    public static boolean isValid(String text, int bytes) {
        try {
            decode(text, bytes);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
