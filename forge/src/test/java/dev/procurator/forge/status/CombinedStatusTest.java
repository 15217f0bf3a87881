package dev.procurator.forge.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CombinedStatusTest {

    @Test
    void anyFailureOrErrorFailsThenAnyPendingIsPendingElseSuccess() {
        assertThat(CombinedStatus.combine(List.of())).isEqualTo("pending");
        assertThat(CombinedStatus.combine(List.of("success", "success"))).isEqualTo("success");
        assertThat(CombinedStatus.combine(List.of("success", "pending"))).isEqualTo("pending");
        assertThat(CombinedStatus.combine(List.of("pending", "error"))).isEqualTo("failure");
        assertThat(CombinedStatus.combine(List.of("failure", "success"))).isEqualTo("failure");
    }

    @Test
    void onlyTheLatestStatusPerContextCounts() {
        var newestFirst = List.of(
                new CommitStatus(1L, "a", "success", "build", "", "", "ci"),
                new CommitStatus(1L, "a", "failure", "build", "", "", "ci"),
                new CommitStatus(1L, "a", "success", "lint", "", "", "ci"));
        CombinedStatus combined = CombinedStatus.of("a", newestFirst);
        assertThat(combined.state()).isEqualTo("success");
        assertThat(combined.totalCount()).isEqualTo(2);
    }
}
