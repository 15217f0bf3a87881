package dev.procurator.common.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Proves the tool requirement cannot let CI pass by skipping: missing tool = skip locally, failure under CI. */
class RequiresToolExtensionTest {

    @Test
    void missingToolFailsTheRunUnderCi() {
        Events events = run(NeedsMissingTool.class, "true");
        events.assertStatistics(stats -> stats.failed(1).aborted(0).succeeded(0));
        events.assertThatEvents().haveExactly(1, event(test("usesTheTool"),
                finishedWithFailure(instanceOf(RequiresToolExtension.MissingToolError.class),
                        message(m -> m.contains("procurator-no-such-tool") && m.contains("CI=true")))));
    }

    @Test
    void missingToolSkipsOnADeveloperMachine() {
        Events events = run(NeedsMissingTool.class, "false");
        events.assertStatistics(stats -> stats.failed(0).aborted(1).succeeded(0));
        events.assertThatEvents().haveExactly(1, event(test("usesTheTool"),
                abortedWithReason(message(m -> m.contains("procurator-no-such-tool")))));
    }

    @Test
    void presentToolRunsTheTestInCi() {
        Events events = run(NeedsPresentTool.class, "true");
        events.assertStatistics(stats -> stats.succeeded(1).failed(0).aborted(0));
        events.assertThatEvents().haveExactly(1, event(test("usesTheTool"), finishedSuccessfully()));
    }

    @Test
    void classLevelRequirementFailsEveryTestUnderCi() {
        Events containers = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(ClassNeedsMissingTool.class))
                .configurationParameter(RequiresToolExtension.CI_PARAMETER, "true")
                .execute().containerEvents();
        containers.assertThatEvents().haveAtLeast(1,
                finishedWithFailure(instanceOf(RequiresToolExtension.MissingToolError.class)));
    }

    private static Events run(Class<?> testClass, String ci) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .configurationParameter(RequiresToolExtension.CI_PARAMETER, ci)
                .execute().testEvents();
    }

    // Samples run only through the test kit: surefire skips nested classes.
    static class NeedsMissingTool {
        @Test
        @RequiresTool("procurator-no-such-tool")
        void usesTheTool() {
        }
    }

    static class NeedsPresentTool {
        @Test
        @RequiresTool("sh")
        void usesTheTool() {
        }
    }

    @RequiresTool("procurator-no-such-tool")
    static class ClassNeedsMissingTool {
        @Test
        void usesTheTool() {
        }
    }
}
