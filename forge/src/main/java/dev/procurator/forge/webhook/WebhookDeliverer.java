package dev.procurator.forge.webhook;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.procurator.common.webhook.WebhookSignature;
import dev.procurator.forge.ForgeProperties;


/**
 * Delivers the outbox: polls for due deliveries on Spring's scheduler (and at once when woken by a push), claims
 * each with a conditional UPDATE (safe with several forge instances, on PostgreSQL and H2), POSTs it signed on the
 * {@code webhookSenders} executor, and records the attempt; failures come back after an exponential backoff.
 * Everything lives in the database, so a restart resumes exactly where the last run stopped (an attempt cut short
 * by a crash is retried once its claim's lease expires).
 */
@Component
public class WebhookDeliverer implements SmartLifecycle {

    public static final String EVENT_HEADER = "X-Procurator-Event";
    public static final String DELIVERY_HEADER = "X-Procurator-Delivery";
    public static final String HOOK_HEADER = "X-Procurator-Hook-Id";

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    /** Deliveries claimed per poll, and sent at once at most. */
    static final int BATCH = 16;

    private final DeliveryStore deliveries;
    private final WebhookStore hooks;
    private final PushEventStore events;
    private final AttemptStore attempts;
    private final TransactionTemplate tx;
    private final ForgeProperties properties;
    private final TaskScheduler scheduler;
    private final TaskExecutor senders;
    private final HttpClient http;
    private final String owner;
    private final Semaphore inFlight = new Semaphore(BATCH);

    private volatile boolean running;
    private ScheduledFuture<?> polling;

    WebhookDeliverer(DeliveryStore deliveries, WebhookStore hooks, PushEventStore events, AttemptStore attempts,
                     TransactionTemplate tx, ForgeProperties properties, TaskScheduler scheduler,
                     @Qualifier(WebhookConfig.SENDERS) TaskExecutor senders) {
        this.deliveries = deliveries;
        this.hooks = hooks;
        this.events = events;
        this.attempts = attempts;
        this.tx = tx;
        this.properties = properties;
        this.scheduler = scheduler;
        this.senders = senders;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Look for due deliveries now rather than at the next poll. */
    public void wake() {
        if (running) {
            scheduler.schedule(this::dispatchDue, Instant.now());
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        polling = scheduler.scheduleWithFixedDelay(this::dispatchDue, properties.webhookPollInterval());
        log.info("webhook deliverer started owner={}", owner);
    }

    /** Stops polling and waits for the attempts under way (each bounded by the webhook timeout). */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        polling.cancel(false);
        try {
            if (inFlight.tryAcquire(BATCH, properties.webhookTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                inFlight.release(BATCH);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("webhook deliverer stopped owner={}", owner);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void dispatchDue() {
        try {
            Instant now = Instant.now();
            List<Long> due = deliveries.findDue(now, PageRequest.of(0, BATCH));
            Instant until = now.plus(properties.webhookTimeout().multipliedBy(2)).plusSeconds(30);
            for (Long id : due) {
                if (!running || !inFlight.tryAcquire()) {
                    return;
                }
                if (deliveries.claim(id, owner, now, until) != 1) {
                    inFlight.release();
                    continue;
                }
                senders.execute(() -> {
                    try {
                        attempt(id);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("webhook deliverer poll failed: {}", e.toString());
        }
    }

    private void attempt(Long id) {
        WebhookDelivery delivery = deliveries.findById(id).orElse(null);
        if (delivery == null) {
            return;
        }
        Webhook hook = hooks.findById(delivery.webhookId()).orElse(null);
        PushEvent event = events.findById(delivery.pushEventId()).orElse(null);
        if (hook == null || event == null) {
            return;
        }
        byte[] body = event.payload().getBytes(StandardCharsets.UTF_8);
        Instant started = Instant.now();
        Integer status = null;
        String error = null;
        String responseBody = null;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hook.url()))
                    .timeout(properties.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Procurator-Forge")
                    .header(EVENT_HEADER, delivery.event())
                    .header(DELIVERY_HEADER, delivery.guid())
                    .header(HOOK_HEADER, String.valueOf(hook.id()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (hook.hasSecret()) {
                request.header(WebhookSignature.HEADER, WebhookSignature.sign(hook.secret(), body));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            responseBody = response.body();
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted (forge shutting down)";
        }
        long millis = Duration.between(started, Instant.now()).toMillis();
        boolean success = status != null && status >= 200 && status < 300;
        Integer finalStatus = status;
        String finalError = error == null && !success ? "HTTP " + status : error;
        String finalBody = responseBody;
        WebhookDelivery updated = tx.execute(s -> {
            WebhookDelivery d = deliveries.findById(id).orElseThrow();
            attempts.save(new DeliveryAttempt(id, d.attempts() + 1, started, millis, finalStatus,
                    success ? null : finalError, finalBody));
            d.attempted(finalStatus, success, properties.webhookMaxAttempts(), properties.webhookInitialBackoff(),
                    properties.webhookMaxBackoff());
            return d;
        });
        log.info("webhook delivery={} hook={} event={} attempt={} status={} state={}{}", delivery.guid(), hook.id(),
                event.id(), updated.attempts(), status, updated.state(),
                success ? "" : " error=" + finalError + " next=" + updated.nextAttemptAt());
    }
}
