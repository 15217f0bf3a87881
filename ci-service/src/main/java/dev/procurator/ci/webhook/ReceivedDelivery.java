package dev.procurator.ci.webhook;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.springframework.data.domain.Persistable;

/** A forge delivery the CI accepted, by its id: the same delivery again is acknowledged but queues nothing. */
@Entity
@Table(name = "webhook_delivery")
class ReceivedDelivery implements Persistable<String> {

    @Id
    private String id;

    @Column(nullable = false)
    private String event;

    @Column(name = "pipeline_id")
    private Long pipelineId;

    @Column(name = "received_at", nullable = false)
    private Instant receivedAt;

    protected ReceivedDelivery() {
    }

    ReceivedDelivery(String id, String event, Long pipelineId) {
        this.id = id;
        this.event = event;
        this.pipelineId = pipelineId;
        this.receivedAt = Instant.now();
    }

    Long pipelineId() {
        return pipelineId;
    }

    @Override
    public String getId() {
        return id;
    }

    /** Always inserted, never updated: a second row with the same id is a duplicate delivery (primary key). */
    @Override
    public boolean isNew() {
        return true;
    }
}
