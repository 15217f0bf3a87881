package dev.procurator.common.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;

/**
 * This service's health as the dashboard shows it: the overall status and one status per component (db, disk
 * space, ...), read from the same endpoint as {@code /actuator/health}.
 */
public record HealthSummary(String status, Map<String, String> components) {

    public static HealthSummary of(HealthEndpoint endpoint) {
        HealthDescriptor health = endpoint.health();
        Map<String, String> components = new LinkedHashMap<>();
        if (health instanceof CompositeHealthDescriptor composite) {
            composite.getComponents().forEach((name, component) ->
                    components.put(name, component.getStatus().getCode()));
        }
        return new HealthSummary(health.getStatus().getCode(), components);
    }

    public boolean up() {
        return "UP".equals(status);
    }
}
