package dev.procurator.worker.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.procurator.worker.WorkerAgentApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker agent running in the test's JVM against a {@link TestMaster}, on a free port, with its own data dir,
 * TCG (KVM does not work on these machines) and the admin token {@link #TOKEN}.
 */
public final class TestAgent implements AutoCloseable {

    public static final String TOKEN = "pcr_worker-test-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ConfigurableApplicationContext context;
    public final Path dataDir;
    public final String url;

    private TestAgent(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
        this.url = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public static TestAgent start(Path dataDir, String masterAddress, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--procurator.data-dir=" + dataDir,
                "--procurator.admin-token=" + TOKEN, "--procurator.control-plane-rpc=" + masterAddress,
                "--procurator.worker.id=test-worker", "--procurator.worker.accel=tcg",
                "--procurator.worker.report-interval=1s", "--procurator.worker.poll-timeout=5s",
                "--procurator.worker.reconnect-max=2s", "--procurator.worker.stop-timeout=10s"));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WorkerAgentApplication.class)
                .run(args.toArray(String[]::new));
        return new TestAgent(context, dataDir);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** GET on the agent's API with the token; the JSON answer (status checked by the caller via {@link #get}). */
    public JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        context.close();
    }

    /** Test teardown: stops every VMM an agent's data dir records (see {@link VmCleanup}). */
    public static void killVms(Path dataDir) {
        VmCleanup.killVms(dataDir);
    }
}
