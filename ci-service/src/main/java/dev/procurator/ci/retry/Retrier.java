package dev.procurator.ci.retry;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;
import dev.procurator.ci.pipeline.StepFailure;
import dev.procurator.schema.client.MasterEndpoints;

/**
 * Retries an operation on a peer while it fails with a {@link TransientFailure}: exponential backoff with jitter
 * ({@link MasterEndpoints#backoff}, the platform's one backoff) from {@code retry-initial} up to {@code retry-max},
 * for at most {@code retry-for}; then the step fails with the last reason. Each failure is reported (to the step's
 * log) with the wait before the next attempt. An interrupt (cancellation, shutdown) ends the wait at once.
 */
@Component
public class Retrier {

    private final CiProperties properties;

    public Retrier(CiProperties properties) {
        this.properties = properties;
    }

    public <T> T call(String what, Consumer<String> report, Supplier<T> operation) {
        Duration budget = properties.retryFor();
        long deadline = System.nanoTime() + budget.toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                return operation.get();
            } catch (TransientFailure failure) {
                Duration wait = MasterEndpoints.backoff(attempt, properties.retryInitial(), properties.retryMax());
                if (System.nanoTime() + wait.toNanos() > deadline) {
                    throw new StepFailure(what + " failed after " + (attempt + 1) + " attempts over "
                            + seconds(budget) + ": " + failure.getMessage(), failure);
                }
                report.accept(what + " failed (attempt " + (attempt + 1) + "): " + failure.getMessage()
                        + "; retrying in " + String.format("%.1f s", wait.toMillis() / 1000.0));
                sleep(wait);
            }
        }
    }

    public void run(String what, Consumer<String> report, Runnable operation) {
        call(what, report, () -> {
            operation.run();
            return null;
        });
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryInterrupted();
        }
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() >= 1 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** The wait between two attempts was interrupted: the pipeline is being cancelled or the service stops. */
    public static final class RetryInterrupted extends RuntimeException {
        public RetryInterrupted() {
            super("interrupted while waiting to retry", null, false, false);
        }
    }
}
