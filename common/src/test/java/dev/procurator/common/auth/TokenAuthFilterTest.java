package dev.procurator.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TokenAuthFilterTest {

    private static final String ADMIN = "pcr_admin-secret";
    private static final String USER_TOKEN = Tokens.generate();
    private static final Caller ALICE = new Caller("alice", Set.of("read"), false);

    /** A resolver that, like real stores, only ever sees hashes at rest. */
    private final TokenResolver store = token -> Tokens.hash(token).equals(Tokens.hash(USER_TOKEN))
            ? Optional.of(ALICE) : Optional.empty();
    private final TokenAuthFilter filter = new TokenAuthFilter(AdminToken.of(ADMIN, Path.of("unused")),
            List.of(store), AuthPolicy.API_REQUIRES_TOKEN);

    @Test
    void bearerAdminTokenIsTheAdmin() throws Exception {
        MockHttpServletRequest request = request("/api/v1/repos", "Bearer " + ADMIN);
        MockFilterChain chain = run(request, new MockHttpServletResponse());
        assertThat(chain.getRequest()).isNotNull();
        assertThat(Callers.current(request)).contains(Caller.ADMIN);
    }

    @Test
    void basicPasswordIsTheTokenAsGitAndNixSendIt() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("alice:" + USER_TOKEN).getBytes(StandardCharsets.UTF_8));
        MockHttpServletRequest request = request("/alice/demo.git/info/refs", "Basic " + basic);
        run(request, new MockHttpServletResponse());
        assertThat(Callers.current(request)).contains(ALICE);
    }

    @Test
    void wrongTokenIsRejectedEvenOnPublicPaths() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = run(request("/", "Bearer pcr_wrong"), response);
        assertThat(chain.getRequest()).as("chain not continued").isNull();
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).startsWith("Basic realm=\"procurator\"");
        assertThat(response.getContentAsString()).contains("\"error\":\"invalid_token\"");
    }

    @Test
    void apiWithoutTokenNeedsOneButDashboardDoesNot() throws Exception {
        MockHttpServletResponse api = new MockHttpServletResponse();
        run(request("/api/v1/repos", null), api);
        assertThat(api.getStatus()).isEqualTo(401);
        assertThat(api.getContentAsString()).contains("\"error\":\"unauthenticated\"");

        MockHttpServletResponse page = new MockHttpServletResponse();
        MockFilterChain chain = run(request("/", null), page);
        assertThat(chain.getRequest()).isNotNull();
        assertThat(page.getStatus()).isEqualTo(200);
    }

    @Test
    void malformedAuthorizationIsRejected() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        run(request("/", "Basic !!!not-base64"), response);
        assertThat(response.getStatus()).isEqualTo(401);
    }

    @Test
    void generatedAdminTokenIsPrivateAndStable(@TempDir Path dir) throws Exception {
        AdminToken first = AdminToken.of(null, dir);
        AdminToken second = AdminToken.of("", dir);
        assertThat(second.value()).isEqualTo(first.value()).startsWith(Tokens.PREFIX);
        assertThat(Files.getPosixFilePermissions(dir.resolve(AdminToken.FILE_NAME)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(first.matches(first.value())).isTrue();
        assertThat(first.matches(first.value() + "x")).isFalse();
    }

    private MockFilterChain run(MockHttpServletRequest request, MockHttpServletResponse response) throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return chain;
    }

    private static MockHttpServletRequest request(String uri, String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }
}
