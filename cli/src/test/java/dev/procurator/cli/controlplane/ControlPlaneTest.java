package dev.procurator.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.procurator.cli.api.ApiError;

class ControlPlaneTest {

    @Test
    void aFollowersRefusalNamesTheLeaderToFollow() {
        assertThat(ControlPlane.leaderUrl(new ApiError(503, "not_leader",
                "this instance is a follower; the leader is http://10.0.0.2:7440.")))
                .isEqualTo("http://10.0.0.2:7440");
        assertThat(ControlPlane.leaderUrl(new ApiError(503, "not_leader",
                "leader at https://cp-2.example:7440 (rpc cp-2:7441)")))
                .isEqualTo("https://cp-2.example:7440");
    }

    @Test
    void nothingIsFollowedWithoutALeaderOrForAnotherError() {
        assertThat(ControlPlane.leaderUrl(new ApiError(503, "not_leader", "no leader elected yet"))).isNull();
        assertThat(ControlPlane.leaderUrl(new ApiError(409, "conflict", "see http://elsewhere:7440"))).isNull();
    }
}
