package dev.procurator.cli.cache;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Sizes as people write them (20G, 500M, 1024) and as they read them (1.5 GiB). */
final class ByteSize implements ITypeConverter<Long> {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    @Override
    public Long convert(String value) {
        String text = value.strip().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        long factor = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> 1;
        };
        String digits = factor == 1 ? text : text.substring(0, text.length() - 1);
        try {
            long size = Math.multiplyExact(Long.parseLong(digits.strip()), factor);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a size like 500M or 20G");
        }
    }

    static String format(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    static String formatLimit(long bytes) {
        return bytes <= 0 ? "unlimited" : format(bytes);
    }
}
