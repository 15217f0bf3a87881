package dev.procurator.cache.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.github.luben.zstd.Zstd;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import dev.procurator.cache.nix.Compression;
import dev.procurator.cache.nix.NixHash;

/**
 * A store path with a single-file NAR, built in memory, with the narinfo Nix would upload for it. Lets protocol
 * tests run without the nix client (the client-side tests are in {@code NixClientIT}).
 */
public record TestNar(String storePath, byte[] nar, byte[] file, Compression compression, List<String> references) {

    public static TestNar of(String hash, String name, String contents, Compression compression, String... references) {
        byte[] nar = regularFileNar(contents.getBytes(StandardCharsets.UTF_8));
        return new TestNar("/nix/store/" + hash + "-" + name, nar, compress(nar, compression), compression,
                List.of(references));
    }

    /** A random, valid store path hash. */
    public static String randomHash() {
        byte[] bytes = new byte[20];
        new java.security.SecureRandom().nextBytes(bytes);
        return dev.procurator.cache.nix.NixBase32.encode(bytes);
    }

    public String hash() {
        return storePath.substring(11, 43);
    }

    public String baseName() {
        return storePath.substring(11);
    }

    public String fileHash() {
        return NixHash.format(NixHash.sha256().digest(file));
    }

    public String narHash() {
        return NixHash.format(NixHash.sha256().digest(nar));
    }

    public String fileName() {
        return NixHash.digits(fileHash()) + compression.extension();
    }

    public String narinfo() {
        return "StorePath: " + storePath + "\n"
                + "URL: nar/" + fileName() + "\n"
                + "Compression: " + compression.narinfoName() + "\n"
                + "FileHash: " + fileHash() + "\n"
                + "FileSize: " + file.length + "\n"
                + "NarHash: " + narHash() + "\n"
                + "NarSize: " + nar.length + "\n"
                + "References: " + String.join(" ", references) + "\n";
    }

    static byte[] regularFileNar(byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : List.of("nix-archive-1", "(", "type", "regular", "contents")) {
            str(out, s.getBytes(StandardCharsets.US_ASCII));
        }
        str(out, contents);
        str(out, ")".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void str(ByteArrayOutputStream out, byte[] bytes) {
        long n = bytes.length;
        for (int i = 0; i < 8; i++) {
            out.write((int) (n >>> (8 * i)) & 0xff);
        }
        out.writeBytes(bytes);
        int pad = (int) ((8 - n % 8) % 8);
        out.writeBytes(new byte[pad]);
    }

    static byte[] compress(byte[] nar, Compression compression) {
        return switch (compression) {
            case NONE -> nar;
            case ZSTD -> Zstd.compress(nar);
            case XZ -> {
                try {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
                        xz.write(nar);
                    }
                    yield out.toByteArray();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
