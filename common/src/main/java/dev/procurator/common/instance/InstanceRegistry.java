package dev.procurator.common.instance;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;

/**
 * Records each run of this service in its own {@code service_instance} table (every service's first migration
 * creates it): when it started, on which host and pid, and when it was last alive. The dashboard shows the recent
 * runs, so a crash loop or a restart is visible; later, leader election reads the same liveness.
 */
public class InstanceRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final JdbcClient jdbc;
    private final TaskScheduler scheduler;
    private final Instance self;
    private ScheduledFuture<?> heartbeat;
    private volatile boolean running;

    public InstanceRegistry(JdbcClient jdbc, DataSource dataSource, TaskScheduler scheduler, Path dataDir,
                            String version) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
        this.self = new Instance(UUID.randomUUID(), hostName(), ProcessHandle.current().pid(), version,
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), null, null,
                dataDir.toString(), databaseProduct(dataSource));
    }

    /**
     * One run of the service.
     *
     * @param stoppedAt null while it runs (or if it died without a clean stop)
     */
    public record Instance(UUID id, String host, long pid, String version, Instant startedAt, Instant lastSeenAt,
                           Instant stoppedAt, String dataDir, String database) {
    }

    public Instance self() {
        return self;
    }

    /** The most recent runs, newest first. */
    public List<Instance> recent(int limit) {
        return jdbc.sql("""
                        select id, host, pid, version, started_at, last_seen_at, stopped_at
                        from service_instance order by started_at desc limit :limit""")
                .param("limit", limit)
                .query((rs, row) -> new Instance(rs.getObject("id", UUID.class), rs.getString("host"),
                        rs.getLong("pid"), rs.getString("version"), instant(rs.getTimestamp("started_at")),
                        instant(rs.getTimestamp("last_seen_at")), instant(rs.getTimestamp("stopped_at")),
                        self.dataDir(), self.database()))
                .list();
    }

    @Override
    public void start() {
        jdbc.sql("""
                        insert into service_instance (id, host, pid, version, started_at, last_seen_at)
                        values (:id, :host, :pid, :version, :started, :now)""")
                .param("id", self.id()).param("host", self.host()).param("pid", self.pid())
                .param("version", self.version()).param("started", Timestamp.from(self.startedAt()))
                .param("now", Timestamp.from(Instant.now()))
                .update();
        heartbeat = scheduler.scheduleWithFixedDelay(this::beat, Instant.now().plus(HEARTBEAT), HEARTBEAT);
        running = true;
        log.info("Instance {} started on {} (pid {}, database {})", self.id(), self.host(), self.pid(), self.database());
    }

    @Override
    public void stop() {
        running = false;
        heartbeat.cancel(false);
        jdbc.sql("update service_instance set stopped_at = :now, last_seen_at = :now where id = :id")
                .param("now", Timestamp.from(Instant.now())).param("id", self.id())
                .update();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void beat() {
        try {
            jdbc.sql("update service_instance set last_seen_at = :now where id = :id")
                    .param("now", Timestamp.from(Instant.now())).param("id", self.id())
                    .update();
        } catch (RuntimeException e) {
            log.warn("Instance heartbeat failed: {}", e.getMessage());
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static String databaseProduct(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            var meta = connection.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        } catch (java.sql.SQLException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }
}
