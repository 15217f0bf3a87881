package dev.procurator.controlplane.config;

import java.time.Instant;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes an epoch-millisecond time as an ISO-8601 string, the platform's JSON convention for times: the control plane
 * keeps times as the {@code Int64} milliseconds of its Cap'n Proto schema and converts them only at the HTTP edge.
 * 0 means "never" and is written as null.
 */
public final class IsoMillis extends ValueSerializer<Long> {

    @Override
    public void serialize(Long millis, JsonGenerator json, SerializationContext context) {
        if (millis == null || millis == 0) {
            json.writeNull();
        } else {
            json.writeString(Instant.ofEpochMilli(millis).toString());
        }
    }
}
