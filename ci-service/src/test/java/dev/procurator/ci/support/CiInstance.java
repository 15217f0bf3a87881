package dev.procurator.ci.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.procurator.ci.CiServiceApplication;

/**
 * A CI service started in the test's JVM on a free port, closed by the test (before its database is dropped, which
 * a cached Spring test context would outlive). Several can share one database, as instances in production do.
 */
public final class CiInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private CiInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** @param properties Spring properties, e.g. {@code procurator.data-dir} */
    public static CiInstance start(Map<String, String> properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0"));
        properties.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new CiInstance(new SpringApplicationBuilder(CiServiceApplication.class)
                .run(args.toArray(String[]::new)));
    }

    public String url() {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
