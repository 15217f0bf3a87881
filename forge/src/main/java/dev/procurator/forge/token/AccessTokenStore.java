package dev.procurator.forge.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface AccessTokenStore extends JpaRepository<AccessToken, Long> {

    @Query("select t from AccessToken t join fetch t.user where t.tokenHash = :hash")
    Optional<AccessToken> findByHash(@Param("hash") String hash);

    List<AccessToken> findByUserIdOrderById(Long userId);

    @Transactional
    @Modifying
    @Query("update AccessToken t set t.lastUsedAt = :now where t.id = :id")
    void touch(@Param("id") Long id, @Param("now") Instant now);
}
