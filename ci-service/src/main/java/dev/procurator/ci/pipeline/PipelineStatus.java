package dev.procurator.ci.pipeline;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonValue;

/** Queued → Running → Succeeded | Failed | Cancelled; a queued pipeline may also be cancelled (or superseded). */
public enum PipelineStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** The name in JSON, the database and URLs: {@code queued}, {@code running}, ... */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public static PipelineStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Stored as its wire name. */
    @Converter(autoApply = true)
    static final class Column implements AttributeConverter<PipelineStatus, String> {
        @Override
        public String convertToDatabaseColumn(PipelineStatus status) {
            return status == null ? null : status.wire();
        }

        @Override
        public PipelineStatus convertToEntityAttribute(String wire) {
            return wire == null ? null : of(wire);
        }
    }
}
