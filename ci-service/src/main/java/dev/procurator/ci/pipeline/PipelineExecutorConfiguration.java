package dev.procurator.ci.pipeline;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.procurator.ci.CiProperties;

/**
 * The executors pipelines run on ({@code procurator.ci.executors} named threads, awaited on shutdown), and the
 * virtual threads their waiting work runs on, where a cancellation may interrupt it ({@link RunControl}).
 */
@Configuration(proxyBeanMethods = false)
class PipelineExecutorConfiguration {

    @Bean
    ThreadPoolTaskExecutor pipelineExecutor(CiProperties properties) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("pipeline-");
        executor.setCorePoolSize(properties.executors());
        executor.setMaxPoolSize(properties.executors());
        // The dispatcher hands over a pipeline only when it holds a free executor; the queue covers the moment a
        // finished run has released its executor but not yet returned its thread to the pool.
        executor.setQueueCapacity(properties.executors());
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(30);
        return executor;
    }

    @Bean
    SimpleAsyncTaskExecutor pipelineWorkExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("pipeline-work-");
        executor.setVirtualThreads(true);
        executor.setTaskTerminationTimeout(30_000);
        return executor;
    }
}
