package dev.procurator.schema;

import java.io.File;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A test class needing external programs: skipped locally when one is missing from PATH, failed when
 * {@code CI=true}. (A copy of capnp's dev.procurator.capnp.testing.RequiresTool: test classes are not
 * shared between modules, and this module must not depend on common.)
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RequiresTool.Check.class)
public @interface RequiresTool {
    String[] value();

    /** The extension enforcing the annotation. */
    final class Check implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresTool.class))
                    .ifPresent(Check::check);
        }

        private static void check(RequiresTool annotation) {
            List<String> missing = Arrays.stream(annotation.value()).filter(t -> !onPath(t)).toList();
            if (missing.isEmpty()) {
                return;
            }
            String message = "required tools not on PATH: " + missing;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: missing tools fail the build)");
            }
            Assumptions.abort(message);
        }

        static boolean onPath(String tool) {
            String path = System.getenv("PATH");
            return path != null && Arrays.stream(path.split(File.pathSeparator))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        }
    }
}
