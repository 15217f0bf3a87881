package dev.procurator.cache.front;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.procurator.cache.protocol.NixProtocol;

/** Puts the {@link HttpFront} on the service's port, in front of Tomcat. */
@Configuration
class FrontConfiguration {

    @Bean
    FrontedTomcatFactory frontedTomcatFactory(ObjectProvider<NixProtocol> protocol) {
        return new FrontedTomcatFactory(protocol::getObject);
    }
}
