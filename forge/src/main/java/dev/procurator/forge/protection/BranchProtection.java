package dev.procurator.forge.protection;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Rules for one branch (or a {@code *} pattern) of one repository. */
@Entity
@Table(name = "branch_protection")
public class BranchProtection {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repo_id", nullable = false)
    private Long repoId;

    @Column(nullable = false)
    private String branch;

    @Column(name = "forbid_force_push", nullable = false)
    private boolean forbidForcePush;

    @Column(name = "forbid_deletion", nullable = false)
    private boolean forbidDeletion;

    /** Comma-separated user names allowed to push; empty means anyone with write access. */
    @Column(nullable = false, length = 2000)
    private String pushers;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected BranchProtection() {
    }

    BranchProtection(Long repoId, String branch) {
        this.repoId = repoId;
        this.branch = branch;
        this.pushers = "";
        this.createdAt = Instant.now();
    }

    void apply(boolean forbidForcePush, boolean forbidDeletion, List<String> pushers) {
        this.forbidForcePush = forbidForcePush;
        this.forbidDeletion = forbidDeletion;
        this.pushers = String.join(",", pushers);
    }

    public Long id() {
        return id;
    }

    public String branch() {
        return branch;
    }

    public boolean forbidForcePush() {
        return forbidForcePush;
    }

    public boolean forbidDeletion() {
        return forbidDeletion;
    }

    public List<String> pushers() {
        return pushers.isEmpty() ? List.of() : Arrays.asList(pushers.split(","));
    }

    public Instant createdAt() {
        return createdAt;
    }
}
