package dev.procurator.forge.user;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A forge account: owns repositories, holds tokens, can be a collaborator. */
@Entity
@Table(name = "forge_user")
public class User {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 40)
    private String name;

    @Column(name = "site_admin", nullable = false)
    private boolean siteAdmin;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected User() {
    }

    public User(String name, boolean siteAdmin) {
        this.name = name;
        this.siteAdmin = siteAdmin;
        this.createdAt = Instant.now();
    }

    public Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public boolean siteAdmin() {
        return siteAdmin;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
