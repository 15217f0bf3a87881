package dev.procurator.cache.protocol;

import java.util.Optional;

/**
 * One HTTP byte range ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) resolved against a length. Several
 * ranges in one header are answered with the whole file, which RFC 9110 allows.
 */
public record ByteRange(long start, long end) {

    public long length() {
        return end - start + 1;
    }

    /** Empty: no usable single range (serve everything). Throws {@link Unsatisfiable} for a range past the end. */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String first = spec.substring(0, dash).strip();
            String last = spec.substring(dash + 1).strip();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (start >= size || end < start) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static final class Unsatisfiable extends RuntimeException {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }
}
