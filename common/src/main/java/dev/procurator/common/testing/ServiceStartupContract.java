package dev.procurator.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.procurator.common.config.ProcuratorEnvironment;

/**
 * What every service must do on start, proven for each: boot against a real PostgreSQL with its migrations applied
 * into its own schema, and boot on the embedded H2 default under its data dir; answer health, Prometheus metrics
 * and its dashboard. A service's test is one line: {@code class ForgeStartupIT extends ServiceStartupContract}.
 */
public abstract class ServiceStartupContract {

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    private static final HttpClient http = HttpClient.newHttpClient();

    private final Class<?> application;
    private final String module;

    protected ServiceStartupContract(Class<?> application, String module) {
        this.application = application;
        this.module = module;
    }

    @Test
    void startsOnPostgresqlWithItsMigrationsApplied(@TempDir Path dataDir) throws Exception {
        try (ConfigurableApplicationContext context = start(dataDir,
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password())) {
            assertServes(port(context));
        }
        String schema = ProcuratorEnvironment.schemaName(module);
        try (Connection connection = database.connect()) {
            List<String> migrations = successfulMigrations(connection, schema);
            assertTrue(migrations.contains("1"), "V1 applied in schema " + schema + ": " + migrations);
            assertTrue(tableExists(connection, schema, "service_instance"), "service_instance in " + schema);
        }
    }

    @Test
    void startsOnEmbeddedH2UnderItsDataDir(@TempDir Path dataDir) throws Exception {
        try (ConfigurableApplicationContext context = start(dataDir)) {
            assertServes(port(context));
        }
        assertTrue(Files.exists(dataDir.resolve("db").resolve(module + ".mv.db")), "H2 file under the data dir");
        assertTrue(Files.exists(dataDir.resolve("admin-token")), "admin token generated into the data dir");
    }

    private ConfigurableApplicationContext start(Path dataDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--procurator.data-dir=" + dataDir));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(application).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private void assertServes(int port) throws IOException, InterruptedException {
        HttpResponse<String> health = get(port, "/actuator/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());

        HttpResponse<String> metrics = get(port, "/actuator/prometheus");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("service=\"" + module + "\""), "metrics tagged with the service name");

        HttpResponse<String> dashboard = get(port, "/");
        assertEquals(200, dashboard.statusCode());
        assertTrue(dashboard.body().contains("procurator " + module), "dashboard names the service");

        HttpResponse<String> system = get(port, "/system");
        assertEquals(200, system.statusCode());
        assertTrue(system.body().contains("id=\"health-components\"") && system.body().contains("id=\"runs\""),
                "system page shows health and this run");
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> successfulMigrations(Connection connection, String schema) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery(
                "select version from " + schema + ".flyway_schema_history where success")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (ResultSet rows = connection.getMetaData().getTables(null, schema, table, null)) {
            return rows.next();
        }
    }
}
