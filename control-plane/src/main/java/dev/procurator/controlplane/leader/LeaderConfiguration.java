package dev.procurator.controlplane.leader;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

import dev.procurator.controlplane.config.ControlPlaneProperties;

/**
 * Leader election with Spring Integration: a {@link JdbcLockRegistry} on the {@code int_lock} table (PostgreSQL or H2)
 * whose lock expires after {@code leaseTtl} (10 s) unless its holder renews it; the initiator renews it every second,
 * and a follower retries every second, so a dead leader is replaced within about {@code leaseTtl} + 1 s.
 */
@Configuration
class LeaderConfiguration {

    @Bean
    DefaultLockRepository leaderLockRepository(DataSource dataSource) {
        DefaultLockRepository repository = new DefaultLockRepository(dataSource);
        repository.setRegion("control-plane");
        return repository;
    }

    @Bean
    JdbcLockRegistry leaderLockRegistry(DefaultLockRepository leaderLockRepository, ControlPlaneProperties properties) {
        return new JdbcLockRegistry(leaderLockRepository, properties.leaseTtl());
    }

    @Bean
    LockRegistryLeaderInitiator leaderInitiator(JdbcLockRegistry leaderLockRegistry, Leadership leadership,
                                                @Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
                                                AsyncTaskExecutor executor) {
        LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(leaderLockRegistry, leadership);
        initiator.setTaskExecutor(executor);
        initiator.setHeartBeatMillis(1000);
        initiator.setBusyWaitMillis(1000);
        // after the RPC server (its port is advertised), before nothing else
        initiator.setPhase(Integer.MAX_VALUE - 2000);
        return initiator;
    }
}
