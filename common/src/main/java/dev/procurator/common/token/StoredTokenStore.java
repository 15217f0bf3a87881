package dev.procurator.common.token;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.NoRepositoryBean;
import org.springframework.transaction.annotation.Transactional;

/** What {@link TokenRegistry} needs of a service's token store; the service's {@code <Entity>Store} extends it. */
@NoRepositoryBean
public interface StoredTokenStore<T extends StoredToken> extends JpaRepository<T, Long> {

    Optional<T> findByTokenHash(String tokenHash);

    /** Records a use without loading the token: a bulk update, as JPA would otherwise read it first. */
    @Transactional
    @Modifying
    @Query("update #{#entityName} t set t.lastUsedAt = :now where t.id = :id")
    int touch(Long id, Instant now);
}
