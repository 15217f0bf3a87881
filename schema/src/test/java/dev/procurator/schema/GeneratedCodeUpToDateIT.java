package dev.procurator.schema;

import dev.procurator.common.testing.RequiresTool;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procurator.capnp.compiler.CapnpcJava;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The committed Java equals what the generator makes from the committed schemas now. Fails after a
 * schema edit without regenerating: run {@code ./mvnw -pl capnp,schema -Pcapnp-generate compile}.
 */
@RequiresTool("capnp")
class GeneratedCodeUpToDateIT {
    @Test
    void committedJavaMatchesTheSchemas() throws Exception {
        byte[] request = SchemaFiles.capnpCompile("-", SchemaFiles.FILES.toArray(String[]::new));
        var files = CapnpcJava.generate(new ByteArrayInputStream(request), "");
        assertEquals(3, files.size());
        for (var file : files) {
            String committed = Files.readString(SchemaFiles.GENERATED.resolve(file.path()));
            assertEquals(file.source(), committed, file.path() + " is stale: regenerate with -Pcapnp-generate");
        }
    }
}
