package dev.procurator.common.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/** Enforces {@link RequiresTool}: skip locally, fail under {@code CI=true}. */
public class RequiresToolExtension implements BeforeAllCallback, BeforeEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        check(context.getRequiredTestClass(), System.getenv());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().ifPresent(method -> check(method, System.getenv()));
    }

    static void check(AnnotatedElement element, java.util.Map<String, String> env) {
        Optional<RequiresTool> annotation = AnnotationSupport.findAnnotation(element, RequiresTool.class);
        if (annotation.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String tool : annotation.get().value()) {
            if (Tools.find(tool, env.get("PATH")).isEmpty()) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "needs " + String.join(", ", missing) + " on PATH";
        if ("true".equalsIgnoreCase(env.get("CI"))) {
            throw new MissingToolError(message + " (CI=true: a missing tool fails the run; .ci/run installs it)");
        }
        throw new TestAbortedException(message + " (skipped on this machine; CI fails instead)");
    }

    /** A failure, not an abort: JUnit reports it red. */
    public static final class MissingToolError extends AssertionError {
        MissingToolError(String message) {
            super(message);
        }
    }
}
