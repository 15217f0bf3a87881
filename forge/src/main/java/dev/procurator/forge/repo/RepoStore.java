package dev.procurator.forge.repo;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface RepoStore extends JpaRepository<Repo, Long> {

    @Query("select r from Repo r join fetch r.owner o where o.name = :owner and r.name = :name")
    Optional<Repo> find(@Param("owner") String owner, @Param("name") String name);

    @Query("select r from Repo r join fetch r.owner o order by o.name, r.name")
    List<Repo> findAllOrdered();

    /** Repositories a user can see: public ones, their own, and those they collaborate on. */
    @Query("""
            select r from Repo r join fetch r.owner o
            where r.isPrivate = false or o.id = :userId
               or exists (select c from Collaborator c where c.repoId = r.id and c.userId = :userId)
            order by o.name, r.name""")
    List<Repo> findVisibleTo(@Param("userId") Long userId);

    @Query("select r from Repo r join fetch r.owner o where r.isPrivate = false order by o.name, r.name")
    List<Repo> findPublic();
}
