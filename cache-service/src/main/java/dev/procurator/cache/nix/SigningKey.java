package dev.procurator.cache.nix;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 key in Nix's format: secret {@code name:base64(seed ‖ public)}, public {@code name:base64(public)}.
 * The JDK's Ed25519 produces the same signatures as libsodium; the key bytes travel through the fixed DER prefixes of
 * PKCS#8 and X.509.
 */
public final class SigningKey {

    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String name;
    private final byte[] seed;
    private final byte[] publicKey;
    private final PrivateKey privateKey;

    private SigningKey(String name, byte[] seed, byte[] publicKey) {
        if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
        this.name = name;
        this.seed = seed.clone();
        this.publicKey = publicKey.clone();
        try {
            this.privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }

    public static SigningKey generate(String name) {
        try {
            var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] x509 = pair.getPublic().getEncoded();
            return new SigningKey(name, Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length),
                    Arrays.copyOfRange(x509, x509.length - 32, x509.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }

    /** Reads a secret key as {@code nix key generate-secret} writes it. */
    public static SigningKey parseSecret(String secret) {
        int colon = secret.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a Nix secret key is name:base64");
        }
        byte[] bytes = Base64.getDecoder().decode(secret.substring(colon + 1).strip());
        if (bytes.length != 64) {
            throw new IllegalArgumentException("a Nix Ed25519 secret key holds 64 bytes");
        }
        return new SigningKey(secret.substring(0, colon), Arrays.copyOf(bytes, 32), Arrays.copyOfRange(bytes, 32, 64));
    }

    public String name() {
        return name;
    }

    public String secretText() {
        return name + ":" + Base64.getEncoder().encodeToString(concat(seed, publicKey));
    }

    public String publicText() {
        return name + ":" + Base64.getEncoder().encodeToString(publicKey);
    }

    /** {@code name:base64(signature)}, the value of a narinfo's {@code Sig:} line. */
    public String sign(String fingerprint) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(fingerprint.getBytes(StandardCharsets.UTF_8));
            return name + ":" + Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Checks a {@code name:base64} signature with a {@code name:base64} public key (used by tests and tools). */
    public static boolean verify(String publicText, String fingerprint, String sig) {
        int colon = publicText.indexOf(':');
        int sigColon = sig.indexOf(':');
        if (colon <= 0 || sigColon <= 0 || !publicText.substring(0, colon).equals(sig.substring(0, sigColon))) {
            return false;
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                    concat(X509_PREFIX, Base64.getDecoder().decode(publicText.substring(colon + 1)))));
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(fingerprint.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(sig.substring(sigColon + 1)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
