package dev.procurator.forge.webhook;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface WebhookStore extends JpaRepository<Webhook, Long> {

    List<Webhook> findByRepoIdOrderById(Long repoId);

    Optional<Webhook> findByIdAndRepoId(Long id, Long repoId);
}
