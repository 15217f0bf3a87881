package dev.procurator.forge.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface DeliveryStore extends JpaRepository<WebhookDelivery, Long> {

    @Query("""
            select d.id from WebhookDelivery d
            where d.state = 'pending' and d.nextAttemptAt <= :now and (d.claimedUntil is null or d.claimedUntil < :now)
            order by d.nextAttemptAt""")
    List<Long> findDue(@Param("now") Instant now, Pageable page);

    /**
     * Claims a due delivery for one instance. A single conditional UPDATE: on PostgreSQL and H2 alike, of two
     * instances racing for a row exactly one sees it still unclaimed and gets 1; a crashed owner's lease expires.
     */
    @Transactional
    @Modifying
    @Query("""
            update WebhookDelivery d set d.claimedBy = :owner, d.claimedUntil = :until
            where d.id = :id and d.state = 'pending' and d.nextAttemptAt <= :now
              and (d.claimedUntil is null or d.claimedUntil < :now)""")
    int claim(@Param("id") Long id, @Param("owner") String owner, @Param("now") Instant now,
              @Param("until") Instant until);

    List<WebhookDelivery> findByWebhookIdOrderByIdDesc(Long webhookId, Pageable page);

    Optional<WebhookDelivery> findByGuidAndWebhookId(String guid, Long webhookId);

    long countByState(String state);
}
