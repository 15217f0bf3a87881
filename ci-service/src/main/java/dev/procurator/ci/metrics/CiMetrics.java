package dev.procurator.ci.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import dev.procurator.ci.pipeline.PipelineStatus;
import dev.procurator.ci.pipeline.PipelineStore;
import dev.procurator.ci.pipeline.StepStatus;

/**
 * The CI's metrics on {@code /actuator/prometheus}: {@code procurator_ci_pipelines_total{outcome}},
 * {@code procurator_ci_step_duration_seconds{step,outcome}} ({@code procurator.ci} commands count as one step,
 * {@code ci-command}, to keep the series bounded), {@code procurator_ci_queue_wait_seconds} (queued → started), and
 * the gauges {@code procurator_ci_queue_depth} and {@code procurator_ci_pipelines_running} (read from the database:
 * the queue all instances share).
 */
@Component
public class CiMetrics {

    private final MeterRegistry registry;

    CiMetrics(MeterRegistry registry, PipelineStore pipelines) {
        this.registry = registry;
        Gauge.builder("procurator.ci.queue.depth", () -> pipelines.countByStatus(PipelineStatus.QUEUED))
                .description("Pipelines waiting for an executor").register(registry);
        Gauge.builder("procurator.ci.pipelines.running", () -> pipelines.countByStatus(PipelineStatus.RUNNING))
                .description("Pipelines running on any instance").register(registry);
    }

    public void pipelineFinished(PipelineStatus outcome) {
        Counter.builder("procurator.ci.pipelines").description("Pipelines finished, by outcome")
                .tag("outcome", outcome.wire()).register(registry).increment();
    }

    public void stepFinished(String step, StepStatus outcome, Duration duration) {
        Timer.builder("procurator.ci.step.duration").description("Step durations, by step and outcome")
                .tag("step", step.startsWith("ci.") ? "ci-command" : step).tag("outcome", outcome.wire())
                .register(registry).record(duration);
    }

    public void queueWait(Duration wait) {
        Timer.builder("procurator.ci.queue.wait").description("From queued to taken by an executor")
                .register(registry).record(wait);
    }
}
