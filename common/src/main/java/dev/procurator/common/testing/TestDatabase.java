package dev.procurator.common.testing;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh PostgreSQL database for one test class, dropped afterwards. Register it as
 * {@code @RegisterExtension static TestDatabase db = new TestDatabase();} and hand it to Spring with
 * {@code @DynamicPropertySource static void db(DynamicPropertyRegistry r) { db.register(r); }}.
 *
 * <p>The server, in order: {@code PROCURATOR_TEST_DB_URL} (a JDBC URL to a database the user may create databases
 * from, with {@code PROCURATOR_TEST_DB_USER}/{@code _PASSWORD}); the server on 127.0.0.1:5432 if it answers; a
 * Testcontainers PostgreSQL when a Docker engine is available; otherwise a failure that says how to provide one.
 */
public class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    private String name;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        name = ("pcr_test_" + context.getRequiredTestClass().getSimpleName() + "_"
                + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        try (Connection admin = PostgresServer.get().connect(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + name);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (name == null) {
            return;
        }
        try (Connection admin = PostgresServer.get().connect(); Statement sql = admin.createStatement()) {
            // FORCE: a cached Spring context may still hold pooled connections to it.
            sql.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        if (name == null) {
            throw new IllegalStateException("TestDatabase must be registered with @RegisterExtension on a static field");
        }
        return PostgresServer.get().urlOf(name);
    }

    public String username() {
        return PostgresServer.get().user();
    }

    public String password() {
        return PostgresServer.get().password();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username(), password());
    }

    /** Points a Spring test context at this database. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", this::jdbcUrl);
        registry.add("spring.datasource.username", this::username);
        registry.add("spring.datasource.password", this::password);
    }

    /** The server test databases are created on, found once per JVM. */
    record PostgresServer(String host, int port, String adminDatabase, String user, String password) {

        private static PostgresServer instance;

        static synchronized PostgresServer get() {
            if (instance == null) {
                instance = locate();
            }
            return instance;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(urlOf(adminDatabase), user, password);
        }

        String urlOf(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        private static PostgresServer locate() {
            String configured = System.getenv("PROCURATOR_TEST_DB_URL");
            if (configured != null && !configured.isBlank()) {
                return fromJdbcUrl(configured, System.getenv("PROCURATOR_TEST_DB_USER"),
                        System.getenv("PROCURATOR_TEST_DB_PASSWORD"));
            }
            if (answers("127.0.0.1", 5432)) {
                String user = System.getenv().getOrDefault("PROCURATOR_TEST_DB_USER", "postgres");
                return new PostgresServer("127.0.0.1", 5432, "postgres", user,
                        System.getenv().getOrDefault("PROCURATOR_TEST_DB_PASSWORD", ""));
            }
            PostgresServer container = ContainerPostgres.startIfDockerAvailable();
            if (container != null) {
                return container;
            }
            throw new IllegalStateException("""
                    No PostgreSQL for tests. Provide one of:
                      - PROCURATOR_TEST_DB_URL=jdbc:postgresql://HOST:PORT/postgres (+ PROCURATOR_TEST_DB_USER, \
                    PROCURATOR_TEST_DB_PASSWORD), a user allowed to CREATE DATABASE;
                      - a PostgreSQL server on 127.0.0.1:5432 (user postgres, trust or PROCURATOR_TEST_DB_PASSWORD);
                      - a running Docker engine, for a Testcontainers PostgreSQL.""");
        }

        static PostgresServer fromJdbcUrl(String url, String user, String password) {
            // jdbc:postgresql://host[:port]/database[?...]
            String rest = url.replaceFirst("^jdbc:postgresql://", "");
            if (rest.equals(url)) {
                throw new IllegalStateException("PROCURATOR_TEST_DB_URL must be a jdbc:postgresql:// URL, got " + url);
            }
            int slash = rest.indexOf('/');
            String hostPort = slash < 0 ? rest : rest.substring(0, slash);
            String database = slash < 0 ? "postgres" : rest.substring(slash + 1).replaceFirst("\\?.*$", "");
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
            return new PostgresServer(host, port, database.isEmpty() ? "postgres" : database,
                    user == null ? "postgres" : user, password == null ? "" : password);
        }

        private static boolean answers(String host, int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 500);
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }

    /** Testcontainers lives on the test classpath only where a module asks for it; reached lazily. */
    static final class ContainerPostgres {

        static PostgresServer startIfDockerAvailable() {
            try {
                if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
                    return null;
                }
                var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:16-alpine");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                return new PostgresServer(container.getHost(), container.getMappedPort(5432),
                        container.getDatabaseName(), container.getUsername(), container.getPassword());
            } catch (NoClassDefFoundError e) {
                return null;
            }
        }
    }
}
