package dev.procurator.ci.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.procurator.ci.CiProperties;

/** Opens step logs and writes their buffered output to the database every 200 ms, so followers see it live. */
@Component
public class LogFlusher {

    private static final Logger log = LoggerFactory.getLogger(LogFlusher.class);

    private final StepLogs store;
    private final SecretRedactor redactor;
    private final long maxBytes;
    private final Set<StepLog> open = ConcurrentHashMap.newKeySet();

    LogFlusher(StepLogs store, SecretRedactor redactor, CiProperties properties) {
        this.store = store;
        this.redactor = redactor;
        this.maxBytes = properties.maxLogSize().toBytes();
    }

    public StepLog open(long stepId) {
        StepLog stepLog = new StepLog(stepId, maxBytes, redactor, store);
        open.add(stepLog);
        return stepLog;
    }

    /** Writes the rest of the step's output; the log is complete when this returns. */
    public void close(StepLog stepLog) {
        open.remove(stepLog);
        stepLog.flush();
    }

    @Scheduled(fixedDelay = 200)
    void flushOpen() {
        for (StepLog stepLog : open) {
            try {
                stepLog.flush();
            } catch (RuntimeException e) {
                // The next flush (or the step's close) writes it; the step itself goes on.
                log.warn("step log {} not flushed: {}", stepLog.stepId(), e.toString());
            }
        }
    }
}
