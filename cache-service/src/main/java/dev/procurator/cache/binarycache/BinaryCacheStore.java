package dev.procurator.cache.binarycache;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface BinaryCacheStore extends JpaRepository<BinaryCache, Long> {

    Optional<BinaryCache> findByName(String name);

    List<BinaryCache> findAllByOrderByNameAsc();
}
