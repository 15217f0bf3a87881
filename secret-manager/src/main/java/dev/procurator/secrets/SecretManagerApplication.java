package dev.procurator.secrets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Secrets: Envelope-encrypted secrets with key rotation, injected into VMs at boot, with an audit log of every access. */
@SpringBootApplication
public class SecretManagerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SecretManagerApplication.class, args);
    }
}
