package dev.procurator.forge.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One event to deliver to one subscription: the outbox row. {@code pending} until a 2xx ({@code delivered}) or
 * until the attempts run out ({@code failed}); a claim (owner + lease) marks the instance currently trying it.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 36)
    private String guid;

    @Column(name = "webhook_id", nullable = false)
    private Long webhookId;

    @Column(name = "push_event_id", nullable = false)
    private Long pushEventId;

    @Column(nullable = false, length = 20)
    private String event;

    @Column(nullable = false, length = 10)
    private String state;

    @Column(nullable = false)
    private int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;

    @Column(name = "claimed_by", length = 64)
    private String claimedBy;

    @Column(name = "claimed_until")
    private Instant claimedUntil;

    @Column(name = "last_status")
    private Integer lastStatus;

    @Column(name = "redelivery_of")
    private Long redeliveryOf;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    protected WebhookDelivery() {
    }

    WebhookDelivery(Long webhookId, Long pushEventId, String event, Long redeliveryOf) {
        this.guid = UUID.randomUUID().toString();
        this.webhookId = webhookId;
        this.pushEventId = pushEventId;
        this.event = event;
        this.state = PENDING;
        this.createdAt = Instant.now();
        this.nextAttemptAt = createdAt;
        this.redeliveryOf = redeliveryOf;
    }

    /** Records the outcome of an attempt and releases the claim. */
    void attempted(Integer status, boolean success, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        Instant now = Instant.now();
        attempts++;
        lastStatus = status;
        claimedBy = null;
        claimedUntil = null;
        if (success) {
            state = DELIVERED;
            finishedAt = now;
        } else if (attempts >= maxAttempts) {
            state = FAILED;
            finishedAt = now;
        } else {
            nextAttemptAt = now.plus(backoff(attempts, initialBackoff, maxBackoff));
        }
    }

    /** Wait after the {@code attempts}-th failure: initial, 2x, 4x, ... capped. */
    static Duration backoff(int attempts, Duration initial, Duration max) {
        int doublings = Math.min(attempts - 1, 30);
        Duration wait = initial.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 || wait.isNegative() ? max : wait;
    }

    public Long id() {
        return id;
    }

    public String guid() {
        return guid;
    }

    public Long webhookId() {
        return webhookId;
    }

    public Long pushEventId() {
        return pushEventId;
    }

    public String event() {
        return event;
    }

    public String state() {
        return state;
    }

    public int attempts() {
        return attempts;
    }

    public Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    public Integer lastStatus() {
        return lastStatus;
    }

    public Long redeliveryOf() {
        return redeliveryOf;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }
}
