package dev.procurator.common.config;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The one way every service runs periodic and background work (docs/ARCHITECTURE.md, "Background work"): Spring's
 * {@code taskScheduler} for periodic jobs ({@code @Scheduled} or {@code TaskScheduler}) and {@code applicationTaskExecutor}
 * for hand-offs, both on virtual threads and both awaited on shutdown. Enabling scheduling here, before Boot's task
 * auto-configuration runs, is what makes Boot create the scheduler bean.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration")
@EnableScheduling
public class BackgroundWorkAutoConfiguration {
}
