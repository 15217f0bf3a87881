package dev.procurator.cache.gc;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;

/**
 * Spring Integration's JDBC lock registry on the cache's own database ({@code int_lock}, created by
 * {@code V3__several_instances.sql}): the lock that lets one instance at a time run an eviction.
 */
@Configuration
class EvictionLockConfiguration {

    @Bean
    DefaultLockRepository lockRepository(DataSource dataSource) {
        DefaultLockRepository repository = new DefaultLockRepository(dataSource);
        repository.setRegion("cache-service");
        return repository;
    }

    @Bean
    JdbcLockRegistry lockRegistry(LockRepository repository) {
        return new JdbcLockRegistry(repository);
    }
}
