package dev.procurator.forge.repo;

import java.io.Serializable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A user's role on someone else's repository. */
@Entity
@Table(name = "collaborator")
@IdClass(Collaborator.Key.class)
public class Collaborator {

    public record Key(Long repoId, Long userId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "repo_id")
    private Long repoId;

    @Id
    @Column(name = "user_id")
    private Long userId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 10)
    private Permission role;

    protected Collaborator() {
    }

    Collaborator(Long repoId, Long userId, Permission role) {
        this.repoId = repoId;
        this.userId = userId;
        this.role = role;
    }

    public Long repoId() {
        return repoId;
    }

    public Long userId() {
        return userId;
    }

    public Permission role() {
        return role;
    }

    void setRole(Permission role) {
        this.role = role;
    }
}
