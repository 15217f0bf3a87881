package dev.procurator.forge.webhook;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import dev.procurator.forge.ForgeProperties;

/** The executor webhook attempts run on: virtual threads, as many as the deliverer sends at once, awaited on shutdown. */
@Configuration
class WebhookConfig {

    static final String SENDERS = "webhookSenders";

    @Bean(SENDERS)
    SimpleAsyncTaskExecutor webhookSenders(ForgeProperties properties) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("webhook-");
        executor.setVirtualThreads(true);
        executor.setConcurrencyLimit(WebhookDeliverer.BATCH);
        executor.setTaskTerminationTimeout(properties.webhookTimeout().toMillis() + 2000);
        return executor;
    }
}
