package dev.procurator.ci.webhook;

import org.springframework.data.jpa.repository.JpaRepository;

interface ReceivedDeliveryStore extends JpaRepository<ReceivedDelivery, String> {
}
