package dev.procurator.forge.protection;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ProtectionStore extends JpaRepository<BranchProtection, Long> {

    List<BranchProtection> findByRepoIdOrderByBranch(Long repoId);

    Optional<BranchProtection> findByRepoIdAndBranch(Long repoId, String branch);
}
