package dev.procurator.forge.repo;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CollaboratorStore extends JpaRepository<Collaborator, Collaborator.Key> {

    Optional<Collaborator> findByRepoIdAndUserId(Long repoId, Long userId);

    List<Collaborator> findByRepoId(Long repoId);
}
