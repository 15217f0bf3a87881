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

import dev.procurator.common.process.Executables;

/**
 * Enforces {@link RequiresTool}: skip locally, fail under {@code CI=true}. The JUnit configuration parameter
 * {@code procurator.ci} overrides the environment, so the mechanism itself can be tested both ways.
 */
public class RequiresToolExtension implements BeforeAllCallback, BeforeEachCallback {

    static final String CI_PARAMETER = "procurator.ci";

    @Override
    public void beforeAll(ExtensionContext context) {
        check(context.getRequiredTestClass(), inCi(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().ifPresent(method -> check(method, inCi(context)));
    }

    private static boolean inCi(ExtensionContext context) {
        return context.getConfigurationParameter(CI_PARAMETER)
                .or(() -> Optional.ofNullable(System.getenv("CI")))
                .map("true"::equalsIgnoreCase)
                .orElse(false);
    }

    static void check(AnnotatedElement element, boolean inCi) {
        Optional<RequiresTool> annotation = AnnotationSupport.findAnnotation(element, RequiresTool.class);
        if (annotation.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String tool : annotation.get().value()) {
            if (Executables.find(tool).isEmpty()) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "needs " + String.join(", ", missing) + " on PATH";
        if (inCi) {
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
