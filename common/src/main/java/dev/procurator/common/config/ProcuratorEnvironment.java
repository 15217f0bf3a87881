package dev.procurator.common.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * Applies the conventions every service shares (docs/ARCHITECTURE.md, "Configuration" and "Persistence") as
 * lowest-precedence defaults: the port ({@link ServicePorts}), the data directory, the database (PostgreSQL when
 * {@code PROCURATOR_DB_URL} is set, else an H2 file in PostgreSQL mode under the data dir), one schema per service for
 * Flyway and JPA, and the actuator endpoints. A service only declares {@code spring.application.name}.
 */
public class ProcuratorEnvironment implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "procuratorDefaults";
    static final String DATA_DIR_SOURCE_NAME = "procuratorDataDir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String service = env.getProperty("spring.application.name", "procurator");
        String schema = schemaName(service);
        Path dataDir = dataDir(env, service);

        publishAbsoluteDataDir(env, dataDir);

        Map<String, Object> defaults = new HashMap<>();
        defaults.put("procurator.service.name", service);
        ServicePorts.ofModule(service).ifPresent(known -> defaults.put("server.port", known.port()));

        String dbUrl = env.getProperty("procurator.db.url");
        if (dbUrl != null && !dbUrl.isBlank()) {
            defaults.put("spring.datasource.url", dbUrl);
            putIfSet(env, defaults, "procurator.db.user", "spring.datasource.username");
            putIfSet(env, defaults, "procurator.db.password", "spring.datasource.password");
        } else {
            defaults.put("spring.datasource.url", h2Url(service, schema));
            defaults.put("spring.datasource.username", "sa");
            defaults.put("spring.datasource.password", "");
            // The H2 version is the one Spring Boot manages and our migrations are tested on; Flyway's warning that
            // it has not verified that version would be every service's only start-up warning.
            defaults.put("logging.level.org.flywaydb.core.internal.database.base.Database", "error");
        }
        // Plain JDBC (JdbcClient) sees the service's tables without a prefix, as JPA does via default_schema.
        defaults.put("spring.datasource.hikari.schema", schema);
        defaults.put("spring.flyway.schemas", schema);
        defaults.put("spring.flyway.default-schema", schema);
        // service_instance (V1) is shipped once by common; a service's own migrations start at V2.
        defaults.put("spring.flyway.locations", "classpath:db/migration/common,classpath:db/migration/" + schema);
        defaults.put("spring.jpa.properties.hibernate.default_schema", schema);
        defaults.put("spring.jpa.hibernate.ddl-auto", "validate");
        defaults.put("spring.jpa.open-in-view", "false");
        defaults.put("spring.threads.virtual.enabled", "true");
        defaults.put("spring.datasource.hikari.maximum-pool-size", "8");

        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
        defaults.put("management.endpoint.health.show-details", "always");
        defaults.put("management.endpoint.health.probes.enabled", "true");
        defaults.put("management.metrics.tags.service", service);
        defaults.put("server.error.include-stacktrace", "never");
        defaults.put("server.error.include-message", "never");
        defaults.put("server.shutdown", "graceful");
        defaults.put("spring.lifecycle.timeout-per-shutdown-phase", "10s");
        // applicationTaskExecutor exists even when a service adds executor beans of its own (Boot's default mode drops
        // it then), so the shared kit and the services can always hand work to it.
        defaults.put("spring.task.execution.mode", "force");
        // Background work finishes (or is given 10 s) before the database and the pools go away.
        defaults.put("spring.task.scheduling.shutdown.await-termination", "true");
        defaults.put("spring.task.scheduling.shutdown.await-termination-period", "10s");
        defaults.put("spring.task.execution.shutdown.await-termination", "true");
        defaults.put("spring.task.execution.shutdown.await-termination-period", "10s");
        defaults.put("spring.mvc.problemdetails.enabled", "false");
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("logging.pattern.console",
                "%d{HH:mm:ss.SSS} %5p [%15.15t] %-40.40logger{39} : %m%n%wEx");

        env.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }

    /** Schema names are SQL identifiers: {@code ci-service} becomes {@code ci_service}. */
    public static String schemaName(String service) {
        return service.replace('-', '_');
    }

    static Path dataDir(ConfigurableEnvironment env, String service) {
        String configured = env.getProperty("procurator.data-dir");
        Path dir = configured == null || configured.isBlank()
                ? Path.of(".procurator", service)
                : Path.of(configured);
        return dir.toAbsolutePath().normalize();
    }

    /**
     * The data dir as an absolute path (H2 rejects relative file URLs), just above the environment variables, so a
     * relative {@code PROCURATOR_DATA_DIR} works while command-line arguments and test properties still win.
     */
    private static void publishAbsoluteDataDir(ConfigurableEnvironment env, Path dataDir) {
        MapPropertySource source = new MapPropertySource(DATA_DIR_SOURCE_NAME,
                Map.of("procurator.data-dir", dataDir.toString()));
        MutablePropertySources sources = env.getPropertySources();
        if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            sources.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            sources.addLast(source);
        }
    }

    static String h2Url(String service, String schema) {
        // A placeholder, resolved when the datasource is bound: a data dir set later (a test's dynamic property)
        // still moves the database along with it.
        // H2 refuses to switch to a schema that does not exist yet, so create it on connect (PostgreSQL does not care).
        // DB_CLOSE_ON_EXIT=FALSE: Spring closes the pool on shutdown; H2's own hook would race it.
        // WRITE_DELAY=0: every commit is written to the file before it returns, so an acknowledged write survives a
        // SIGKILL (H2's default, 500 ms, lost whole pushes; measured in docs/ARCHITECTURE.md, "Durability").
        return "jdbc:h2:file:${procurator.data-dir}/db/" + service
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                + ";INIT=CREATE SCHEMA IF NOT EXISTS " + schema;
    }

    private static void putIfSet(ConfigurableEnvironment env, Map<String, Object> target, String from, String to) {
        String value = env.getProperty(from);
        if (value != null && !value.isBlank()) {
            target.put(to, value);
        }
    }
}
