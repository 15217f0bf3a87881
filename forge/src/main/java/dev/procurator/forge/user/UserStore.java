package dev.procurator.forge.user;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface UserStore extends JpaRepository<User, Long> {

    Optional<User> findByName(String name);

    List<User> findAllByOrderByName();
}
