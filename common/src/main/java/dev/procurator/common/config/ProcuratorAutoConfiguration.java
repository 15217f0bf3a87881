package dev.procurator.common.config;

import java.util.List;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;

import dev.procurator.common.auth.AdminToken;
import dev.procurator.common.auth.AuthPolicy;
import dev.procurator.common.auth.TokenAuthFilter;
import dev.procurator.common.auth.TokenResolver;
import dev.procurator.common.dashboard.DashboardModel;
import dev.procurator.common.dashboard.PeerHealth;
import dev.procurator.common.dashboard.SystemController;
import dev.procurator.common.error.ApiExceptionHandler;
import dev.procurator.common.error.JsonErrorController;
import dev.procurator.common.instance.InstanceRegistry;
import dev.procurator.common.process.ProcessRunner;

/** Wires the shared kit into every service: auth, errors, process runner, instance registry, dashboard model. */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration", afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@EnableConfigurationProperties(ProcuratorProperties.class)
@Import({ApiExceptionHandler.class, JsonErrorController.class, DashboardModel.class, SystemController.class})
public class ProcuratorAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProcuratorAutoConfiguration.class);

    @Bean
    AdminToken adminToken(ProcuratorProperties properties) {
        AdminToken token = AdminToken.of(properties.adminToken(), properties.dataDir());
        if (token.generated()) {
            log.info("Generated the bootstrap admin token in {}", AdminToken.file(properties.dataDir()));
        }
        return token;
    }

    @Bean
    @ConditionalOnMissingBean
    AuthPolicy authPolicy() {
        return AuthPolicy.API_REQUIRES_TOKEN;
    }

    @Bean
    FilterRegistrationBean<TokenAuthFilter> tokenAuthFilter(AdminToken adminToken, List<TokenResolver> resolvers,
                                                           AuthPolicy policy) {
        var registration = new FilterRegistrationBean<>(new TokenAuthFilter(adminToken, resolvers, policy));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * The readers of external programs' output (see {@link ProcessRunner}): platform threads, daemon so a stuck pipe
     * never holds the JVM, given 10 s on shutdown to drain what programs still print.
     */
    @Bean
    SimpleAsyncTaskExecutor processOutputReaders() {
        SimpleAsyncTaskExecutor readers = new SimpleAsyncTaskExecutor("process-output-");
        readers.setDaemon(true);
        readers.setTaskTerminationTimeout(10_000);
        return readers;
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessRunner processRunner(@Qualifier("processOutputReaders") Executor processOutputReaders) {
        return new ProcessRunner(processOutputReaders);
    }

    @Bean
    PeerHealth peerHealth(ProcuratorProperties properties,
                          @Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) Executor executor) {
        return new PeerHealth(properties.peers(), properties.service().name(), executor);
    }

    @Bean
    InstanceRegistry instanceRegistry(JdbcClient jdbc, DataSource dataSource, TaskScheduler taskScheduler,
                                      ProcuratorProperties properties) {
        String version = ProcuratorAutoConfiguration.class.getPackage().getImplementationVersion();
        return new InstanceRegistry(jdbc, dataSource, taskScheduler, properties.dataDir(),
                version == null ? "dev" : version);
    }

}
