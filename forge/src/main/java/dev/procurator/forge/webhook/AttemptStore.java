package dev.procurator.forge.webhook;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface AttemptStore extends JpaRepository<DeliveryAttempt, Long> {

    List<DeliveryAttempt> findByDeliveryIdOrderByAttempt(Long deliveryId);
}
