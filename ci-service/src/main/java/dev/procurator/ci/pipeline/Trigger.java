package dev.procurator.ci.pipeline;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonValue;

/** What queued a pipeline: a push webhook, a person (API or CLI), or a retry of an earlier pipeline. */
public enum Trigger {
    PUSH, MANUAL, RETRY;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Converter(autoApply = true)
    static final class Column implements AttributeConverter<Trigger, String> {
        @Override
        public String convertToDatabaseColumn(Trigger trigger) {
            return trigger == null ? null : trigger.wire();
        }

        @Override
        public Trigger convertToEntityAttribute(String wire) {
            return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }
}
