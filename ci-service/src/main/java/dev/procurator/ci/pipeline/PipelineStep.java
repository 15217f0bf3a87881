package dev.procurator.ci.pipeline;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One step of one attempt of a pipeline: {@code fetch}, {@code flake-check}, {@code ci.checks.<name>}, ... */
@Entity
@Table(name = "pipeline_step")
public class PipelineStep {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "pipeline_id", nullable = false)
    private Long pipelineId;

    @Column(nullable = false)
    private int attempt;

    @Column(nullable = false)
    private int position;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private StepStatus status;

    private String message;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    protected PipelineStep() {
    }

    PipelineStep(long pipelineId, int attempt, int position, String name) {
        this.pipelineId = pipelineId;
        this.attempt = attempt;
        this.position = position;
        this.name = name;
        this.status = StepStatus.RUNNING;
        this.startedAt = Instant.now();
    }

    void finish(StepStatus outcome, String why) {
        this.status = outcome;
        this.message = why;
        this.finishedAt = Instant.now();
    }

    public Long id() {
        return id;
    }

    public Long pipelineId() {
        return pipelineId;
    }

    public int attempt() {
        return attempt;
    }

    public String name() {
        return name;
    }

    public StepStatus status() {
        return status;
    }

    /** Why it failed, or what it found worth a line (e.g. "nothing changed: not published"). */
    public String message() {
        return message;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Duration duration() {
        return startedAt == null ? null : Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }
}
