package dev.procurator.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class ProcuratorEnvironmentTest {

    @Test
    void embeddedH2UnderTheDataDirWhenNoDatabaseIsConfigured() {
        StandardEnvironment env = environment(Map.of("PROCURATOR_DATA_DIR", "/srv/pcr/forge"));

        assertThat(env.getProperty("spring.datasource.url"))
                .startsWith("jdbc:h2:file:/srv/pcr/forge/db/forge;MODE=PostgreSQL")
                .contains("INIT=CREATE SCHEMA IF NOT EXISTS forge");
        assertThat(env.getProperty("spring.flyway.locations")).isEqualTo("classpath:db/migration/common,classpath:db/migration/forge");
        assertThat(env.getProperty("procurator.data-dir")).isEqualTo("/srv/pcr/forge");
    }

    @Test
    void relativeDataDirBecomesAbsoluteAndALaterOverrideMovesTheDatabase() {
        StandardEnvironment env = environment(Map.of("PROCURATOR_DATA_DIR", "state"));
        assertThat(env.getProperty("procurator.data-dir")).startsWith("/").endsWith("/state");

        env.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("test",
                Map.of("procurator.data-dir", "/tmp/elsewhere")));
        assertThat(env.getProperty("spring.datasource.url")).startsWith("jdbc:h2:file:/tmp/elsewhere/db/forge;");
    }

    @Test
    void postgresqlFromTheEnvironmentWithOneSchemaPerService() {
        StandardEnvironment env = environment(Map.of(
                "PROCURATOR_DB_URL", "jdbc:postgresql://db:5432/procurator",
                "PROCURATOR_DB_USER", "pcr", "PROCURATOR_DB_PASSWORD", "secret"), "ci-service");

        assertThat(env.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db:5432/procurator");
        assertThat(env.getProperty("spring.datasource.username")).isEqualTo("pcr");
        assertThat(env.getProperty("spring.flyway.schemas")).isEqualTo("ci_service");
        assertThat(env.getProperty("spring.jpa.properties.hibernate.default_schema")).isEqualTo("ci_service");
        assertThat(env.getProperty("spring.datasource.hikari.schema")).isEqualTo("ci_service");
    }

    @Test
    void eachServiceListensOnItsOwnPortUnlessToldOtherwise() {
        assertThat(environment(Map.of(), "forge").getProperty("server.port")).isEqualTo("7410");
        assertThat(environment(Map.of(), "control-plane").getProperty("server.port")).isEqualTo("7440");
        assertThat(environment(Map.of(), "observability").getProperty("server.port")).isEqualTo("7470");
        assertThat(environment(Map.of("SERVER_PORT", "0"), "forge").getProperty("server.port")).isEqualTo("0");
        assertThat(environment(Map.of(), "not-a-platform-service").getProperty("server.port")).isNull();
    }

    @Test
    void dataDirDefaultsToDotProcuratorPerModule() {
        StandardEnvironment env = environment(Map.of(), "cache-service");
        assertThat(env.getProperty("procurator.data-dir")).endsWith("/.procurator/cache-service");
    }

    @Test
    void explicitSettingsWinOverDerivedDefaults() {
        StandardEnvironment env = environment(Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://other/x"));
        assertThat(env.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://other/x");
    }

    private static StandardEnvironment environment(Map<String, Object> variables) {
        return environment(variables, "forge");
    }

    private static StandardEnvironment environment(Map<String, Object> variables, String service) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        env.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("app",
                Map.of("spring.application.name", service)));
        new ProcuratorEnvironment().postProcessEnvironment(env, new SpringApplication());
        return env;
    }
}
