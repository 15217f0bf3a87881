package dev.procurator.cache.front;

import java.net.InetAddress;
import java.util.function.Supplier;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.servlet.ServletContextInitializer;

import dev.procurator.cache.protocol.NixProtocol;

/**
 * Spring Boot's Tomcat factory, with Tomcat moved to an ephemeral loopback port behind the {@link HttpFront}, which
 * takes the configured address and port ({@code server.port}). Every Tomcat customization still applies.
 */
public class FrontedTomcatFactory extends TomcatServletWebServerFactory {

    private final Supplier<NixProtocol> protocol;

    /** @param protocol looked up when the server starts, once the application's beans exist */
    public FrontedTomcatFactory(Supplier<NixProtocol> protocol) {
        this.protocol = protocol;
    }

    @Override
    public WebServer getWebServer(ServletContextInitializer... initializers) {
        InetAddress publicAddress = getAddress();
        int publicPort = getPort();
        setAddress(InetAddress.getLoopbackAddress());
        setPort(0);
        return new FrontWebServer(super.getWebServer(initializers), publicAddress, publicPort, protocol);
    }
}
