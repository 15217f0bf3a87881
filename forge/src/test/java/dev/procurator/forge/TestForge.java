package dev.procurator.forge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * What every forge IT starts from: the bootstrap admin token, a data dir and a work dir of the test class's own, real
 * git with an isolated HOME, and the running forge's URLs. A {@code @SpringBootTest(webEnvironment = RANDOM_PORT)}
 * class holds one as {@code @RegisterExtension static final TestForge forge = new TestForge("<name>")} and calls
 * {@link #register} from its {@code @DynamicPropertySource}.
 *
 * <p>The directories are plain temp directories, not {@code @TempDir}s: the forge's context outlives its class in
 * Spring's context cache, and its background work may still write there when JUnit would delete them.
 */
public final class TestForge implements BeforeEachCallback {

    public static final String ADMIN = "pcr_test-admin-token-for-forge-its";

    private final Path data;
    private final Path work;
    private final GitCli git;
    private int port;

    public TestForge(String name) {
        try {
            data = Files.createTempDirectory("forge-" + name + "-data");
            work = Files.createTempDirectory("forge-" + name + "-work");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git = new GitCli(work.resolve("home"));
    }

    /** The forge's data dir and admin token; a database dropped before the context closes fails fast, not in 30 s. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("procurator.data-dir", data::toString);
        registry.add("procurator.admin-token", () -> ADMIN);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        port = Integer.parseInt(SpringExtension.getApplicationContext(context).getEnvironment()
                .getRequiredProperty("local.server.port"));
    }

    public Path data() {
        return data;
    }

    public Path work() {
        return work;
    }

    public GitCli git() {
        return git;
    }

    public Api api() {
        return new Api(port);
    }

    /** The bare repository behind {@code owner/name}. */
    public Path bare(String fullName) {
        return data.resolve("repos/" + fullName + ".git");
    }

    public String url(String fullName) {
        return "http://127.0.0.1:" + port + "/" + fullName + ".git";
    }

    /** The URL the bootstrap admin pushes with: the token as password. */
    public String pushUrl(String fullName) {
        return "http://admin:" + ADMIN + "@127.0.0.1:" + port + "/" + fullName + ".git";
    }
}
