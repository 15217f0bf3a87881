package dev.procurator.capnp.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Enforces {@link RequiresTool}: skip locally, fail in CI. */
public final class RequiresToolExtension implements BeforeAllCallback, BeforeEachCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresTool.class))
                .ifPresent(RequiresToolExtension::check);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, RequiresTool.class))
                .ifPresent(RequiresToolExtension::check);
    }

    private static void check(RequiresTool annotation) {
        List<String> missing = Arrays.stream(annotation.value()).filter(tool -> !onPath(tool)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = "required tools not on PATH: " + missing;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: missing tools fail the build)");
        }
        Assumptions.abort(message);
    }

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
