package dev.procurator.cache.nix;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a narinfo this cache keeps. Signatures are not among them: the cache signs what it serves with its
 * own key, so uploads need no key and foreign signatures never reach clients.
 *
 * @param references base names ({@code <hash>-<name>}), sorted as Nix writes them
 */
public record NarInfo(StorePath storePath, String url, Compression compression, String fileHash, long fileSize,
                      String narHash, long narSize, List<String> references, String deriver, String ca) {

    public static final String CONTENT_TYPE = "text/x-nix-narinfo";

    public NarInfo {
        references = List.copyOf(references);
    }

    /**
     * Parses narinfo text strictly: every line {@code Key: value}, the required keys present once, hashes, sizes,
     * store paths and the URL valid. Unknown keys are ignored, as Nix does.
     */
    public static NarInfo parse(String text) {
        String storePath = null, url = null, compression = null, fileHash = null, fileSize = null;
        String narHash = null, narSize = null, references = null, deriver = null, ca = null;
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                throw new IllegalArgumentException("line " + lineNumber + " is not 'Key: value'");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            switch (key) {
                case "StorePath" -> storePath = once(key, storePath, value);
                case "URL" -> url = once(key, url, value);
                case "Compression" -> compression = once(key, compression, value);
                case "FileHash" -> fileHash = once(key, fileHash, value);
                case "FileSize" -> fileSize = once(key, fileSize, value);
                case "NarHash" -> narHash = once(key, narHash, value);
                case "NarSize" -> narSize = once(key, narSize, value);
                case "References" -> references = once(key, references, value);
                case "Deriver" -> deriver = once(key, deriver, value);
                case "CA" -> ca = once(key, ca, value);
                default -> {
                    // Sig, System and future keys: not kept (the cache signs with its own key).
                }
            }
        }
        StorePath path = StorePath.parse(required("StorePath", storePath));
        String narUrl = required("URL", url);
        String compressionName = required("Compression", compression);
        Compression comp = Compression.fromNarinfoName(compressionName)
                .orElseThrow(() -> new IllegalArgumentException("unsupported compression '"
                        + StorePath.abbreviate(compressionName) + "' (accepted: zstd, xz, none)"));
        List<String> refs = new ArrayList<>();
        if (references != null && !references.isBlank()) {
            for (String ref : references.strip().split(" +")) {
                refs.add(StorePath.ofBaseName(ref).baseName());
            }
        }
        if (deriver != null && !deriver.isEmpty() && !deriver.equals("unknown-deriver")) {
            StorePath.ofBaseName(deriver);
        } else {
            deriver = null;
        }
        if (ca != null && (ca.length() > 300 || !ca.matches("[A-Za-z0-9:+/=_-]+"))) {
            throw new IllegalArgumentException("invalid CA field");
        }
        return new NarInfo(path, narUrl, comp, NixHash.normalize(required("FileHash", fileHash)),
                size("FileSize", fileSize), NixHash.normalize(required("NarHash", narHash)),
                size("NarSize", narSize), refs.stream().sorted().distinct().toList(), deriver, ca);
    }

    /** The text Nix verifies a signature against. */
    public String fingerprint() {
        StringBuilder refs = new StringBuilder();
        for (String ref : references) {
            if (!refs.isEmpty()) {
                refs.append(',');
            }
            refs.append(StorePath.STORE_DIR).append('/').append(ref);
        }
        return "1;" + storePath.fullPath() + ";" + narHash + ";" + narSize + ";" + refs;
    }

    /** The narinfo text without signatures, in the key order Nix writes. */
    public String render() {
        StringBuilder out = new StringBuilder(512);
        out.append("StorePath: ").append(storePath.fullPath()).append('\n');
        out.append("URL: ").append(url).append('\n');
        out.append("Compression: ").append(compression.narinfoName()).append('\n');
        out.append("FileHash: ").append(fileHash).append('\n');
        out.append("FileSize: ").append(fileSize).append('\n');
        out.append("NarHash: ").append(narHash).append('\n');
        out.append("NarSize: ").append(narSize).append('\n');
        out.append("References: ").append(String.join(" ", references)).append('\n');
        if (deriver != null) {
            out.append("Deriver: ").append(deriver).append('\n');
        }
        if (ca != null) {
            out.append("CA: ").append(ca).append('\n');
        }
        return out.toString();
    }

    private static String once(String key, String previous, String value) {
        if (previous != null) {
            throw new IllegalArgumentException("duplicate key " + key);
        }
        return value;
    }

    private static String required(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value;
    }

    private static long size(String key, String value) {
        String v = required(key, value);
        if (!v.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException(key + " is not a size: '" + StorePath.abbreviate(v) + "'");
        }
        return Long.parseLong(v);
    }
}
