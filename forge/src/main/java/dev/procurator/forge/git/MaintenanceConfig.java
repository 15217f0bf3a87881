package dev.procurator.forge.git;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Repacks run one at a time, queued behind each other so a push never waits for one; on shutdown a running repack
 * gets a few seconds (JGit's GC leaves the repository valid wherever it stops).
 */
@Configuration
class MaintenanceConfig {

    static final String EXECUTOR = "repoMaintenanceExecutor";

    @Bean(EXECUTOR)
    ThreadPoolTaskExecutor repoMaintenanceExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setThreadNamePrefix("repo-maintenance-");
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(10);
        return executor;
    }
}
