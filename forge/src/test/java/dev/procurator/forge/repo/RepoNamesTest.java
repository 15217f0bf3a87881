package dev.procurator.forge.repo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.procurator.forge.user.UserNames;

class RepoNamesTest {

    @Test
    void acceptsOrdinaryNamesAndRefusesTraversalHiddenAndGitSuffix() {
        assertThat(RepoNames.isValid("demo")).isTrue();
        assertThat(RepoNames.isValid("my-app_2.0")).isTrue();
        for (String bad : new String[] {"", "..", "../x", "a/b", ".hidden", "x.git", "X.GIT", "a..b", "end.",
                "sp ace", "tab\t", "ü", "-dash", "a".repeat(101), null}) {
            assertThat(RepoNames.isValid(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void userNamesAreLowerCaseAndNotReserved() {
        assertThat(UserNames.isValid("alice")).isTrue();
        assertThat(UserNames.isValid("a-b")).isTrue();
        for (String bad : new String[] {"Alice", "-a", "a-", "api", "procurator", "a_b", "", null}) {
            assertThat(UserNames.isValid(bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
