package dev.procurator.forge.status;

import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CommitStatusStore extends JpaRepository<CommitStatus, Long> {

    List<CommitStatus> findByRepoIdAndShaOrderByIdDesc(Long repoId, String sha);

    List<CommitStatus> findByRepoIdAndShaInOrderByIdDesc(Long repoId, Collection<String> shas);
}
