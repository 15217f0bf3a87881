package dev.procurator.forge.webhook;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One HTTP attempt of a delivery, kept for the delivery log. */
@Entity
@Table(name = "delivery_attempt")
public class DeliveryAttempt {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "delivery_id", nullable = false)
    private Long deliveryId;

    @Column(nullable = false)
    private int attempt;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "duration_ms", nullable = false)
    private long durationMs;

    @Column(name = "status_code")
    private Integer statusCode;

    @Column(length = 1000)
    private String error;

    @Column(name = "response_body", length = 2000)
    private String responseBody;

    protected DeliveryAttempt() {
    }

    DeliveryAttempt(Long deliveryId, int attempt, Instant startedAt, long durationMs, Integer statusCode,
                    String error, String responseBody) {
        this.deliveryId = deliveryId;
        this.attempt = attempt;
        this.startedAt = startedAt;
        this.durationMs = durationMs;
        this.statusCode = statusCode;
        this.error = cut(error, 1000);
        this.responseBody = cut(responseBody, 2000);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    public int attempt() {
        return attempt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long durationMs() {
        return durationMs;
    }

    public Integer statusCode() {
        return statusCode;
    }

    public String error() {
        return error;
    }

    public String responseBody() {
        return responseBody;
    }
}
