package dev.procurator.cache.nix;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import com.github.luben.zstd.ZstdInputStream;
import org.tukaani.xz.XZInputStream;

/** The NAR compressions this cache accepts, with the file extension Nix gives each. */
public enum Compression {
    NONE("none", ".nar"),
    XZ("xz", ".nar.xz"),
    ZSTD("zstd", ".nar.zst");

    private final String narinfoName;
    private final String extension;

    Compression(String narinfoName, String extension) {
        this.narinfoName = narinfoName;
        this.extension = extension;
    }

    /** As written in a narinfo's {@code Compression:} field. */
    public String narinfoName() {
        return narinfoName;
    }

    public String extension() {
        return extension;
    }

    public static Optional<Compression> fromNarinfoName(String name) {
        for (Compression c : values()) {
            if (c.narinfoName.equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The compression of a NAR file name {@code <hash><extension>}, longest extension first. */
    public static Optional<Compression> fromFileName(String fileName) {
        if (fileName.endsWith(ZSTD.extension)) {
            return Optional.of(ZSTD);
        }
        if (fileName.endsWith(XZ.extension)) {
            return Optional.of(XZ);
        }
        if (fileName.endsWith(NONE.extension)) {
            return Optional.of(NONE);
        }
        return Optional.empty();
    }

    public InputStream decompress(InputStream compressed) throws IOException {
        return switch (this) {
            case NONE -> compressed;
            case XZ -> new XZInputStream(compressed);
            case ZSTD -> new ZstdInputStream(compressed);
        };
    }
}
