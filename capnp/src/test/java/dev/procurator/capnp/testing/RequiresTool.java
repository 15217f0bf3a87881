package dev.procurator.capnp.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that needs external programs. When one is missing from PATH the test is skipped on a
 * developer machine and fails when {@code CI=true}, so CI can never pass by skipping.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiresToolExtension.class)
public @interface RequiresTool {
    String[] value();
}
