package dev.procurator.forge.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface RecordedRefStore extends JpaRepository<RecordedRef, Long> {

    Optional<RecordedRef> findByRepoIdAndRefName(Long repoId, String refName);

    List<RecordedRef> findByRepoId(Long repoId);

    /** Compare-and-set: moves the ref from {@code before} to {@code after}; 0 when another recorder moved it first. */
    @Modifying
    @Query("update RecordedRef r set r.sha = :after, r.pushEventId = :event, r.updatedAt = :at "
            + "where r.repoId = :repo and r.refName = :ref and r.sha = :before")
    int advance(Long repo, String ref, String before, String after, Long event, Instant at);
}
