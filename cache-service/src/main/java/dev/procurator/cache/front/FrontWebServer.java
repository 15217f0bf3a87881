package dev.procurator.cache.front;

import java.net.InetAddress;
import java.util.function.Supplier;

import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

import dev.procurator.cache.protocol.NixProtocol;

/**
 * Tomcat on a loopback port behind the {@link HttpFront} on the public one. To Spring this is the web server: its port
 * is the front's, so {@code local.server.port} and every client see the front.
 */
final class FrontWebServer implements WebServer {

    private final WebServer tomcat;
    private final InetAddress address;
    private final int port;
    private final Supplier<NixProtocol> protocol;
    private HttpFront front;

    FrontWebServer(WebServer tomcat, InetAddress address, int port, Supplier<NixProtocol> protocol) {
        this.tomcat = tomcat;
        this.address = address;
        this.port = port;
        this.protocol = protocol;
    }

    @Override
    public void start() throws WebServerException {
        tomcat.start();
        if (front == null) {
            try {
                front = HttpFront.bind(address, port, tomcat.getPort(), protocol.get());
            } catch (RuntimeException e) {
                tomcat.stop();
                throw new WebServerException("Could not open port " + port + " for the HTTP front", e);
            }
        }
    }

    @Override
    public void stop() throws WebServerException {
        if (front != null) {
            front.close();
            front = null;
        }
        tomcat.stop();
    }

    @Override
    public int getPort() {
        return front != null ? front.port() : port;
    }

    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        if (front != null) {
            front.stopAccepting();
        }
        tomcat.shutDownGracefully(callback);
    }

    @Override
    public void destroy() {
        tomcat.destroy();
    }
}
