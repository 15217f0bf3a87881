package dev.procurator.common.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares that a test needs external programs ({@code nix}, {@code git}, {@code qemu-system-x86_64}, {@code capnp},
 * {@code g++}, {@code chromium}, ...). When one is missing the test is skipped on a developer machine, but fails when
 * {@code CI=true}, so CI can never pass by skipping.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RequiresToolExtension.class)
public @interface RequiresTool {

    /** Program names looked up on PATH (or absolute paths). */
    String[] value();
}
