package dev.procurator.forge.repo;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.procurator.forge.user.User;

/** A hosted repository's metadata; its objects live in a bare repository under the data dir. */
@Entity
@Table(name = "repository")
public class Repo {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "owner_id")
    private User owner;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(name = "is_private", nullable = false)
    private boolean isPrivate;

    @Column(nullable = false, length = 500)
    private String description;

    @Column(name = "default_branch", nullable = false)
    private String defaultBranch;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Repo() {
    }

    Repo(User owner, String name, boolean isPrivate, String description) {
        this.owner = owner;
        this.name = name;
        this.isPrivate = isPrivate;
        this.description = description == null ? "" : description;
        this.defaultBranch = "main";
        this.createdAt = Instant.now();
    }

    public Long id() {
        return id;
    }

    public User owner() {
        return owner;
    }

    public String name() {
        return name;
    }

    /** {@code owner/name}. */
    public String fullName() {
        return owner.name() + "/" + name;
    }

    public boolean isPrivate() {
        return isPrivate;
    }

    public String description() {
        return description;
    }

    public String defaultBranch() {
        return defaultBranch;
    }

    public Instant createdAt() {
        return createdAt;
    }

    void setPrivate(boolean value) {
        isPrivate = value;
    }

    void setDescription(String value) {
        description = value;
    }
}
