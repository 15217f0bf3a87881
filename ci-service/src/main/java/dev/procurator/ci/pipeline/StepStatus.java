package dev.procurator.ci.pipeline;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonValue;

/** A step runs, then succeeds, fails, is cancelled, or is skipped (nothing to do, e.g. no change to publish). */
public enum StepStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this != RUNNING;
    }

    @Converter(autoApply = true)
    static final class Column implements AttributeConverter<StepStatus, String> {
        @Override
        public String convertToDatabaseColumn(StepStatus status) {
            return status == null ? null : status.wire();
        }

        @Override
        public StepStatus convertToEntityAttribute(String wire) {
            return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }
}
