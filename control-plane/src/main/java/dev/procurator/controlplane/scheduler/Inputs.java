package dev.procurator.controlplane.scheduler;

/** Checks shared by the records, so bad input fails where it is built with a message naming the field. */
final class Inputs {

    private Inputs() {
    }

    static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    static void requireAmount(double value, String what) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, was " + value);
        }
    }

    static void requireAmount(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + value);
        }
    }
}
