package dev.procurator.forge.webhook;

import java.util.List;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface PushEventStore extends JpaRepository<PushEvent, Long> {

    List<PushEvent> findByRepoIdOrderByIdDesc(Long repoId, Pageable page);
}
