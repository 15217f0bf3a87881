package dev.procurator.capnp.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procurator.capnp.testing.RequiresTool;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed TestSchema.java is what the generator makes from test.capnp (run generate.sh after edits). */
@RequiresTool("capnp")
class TestSchemaUpToDateIT {
    @Test
    void committedTestSchemaMatches() throws Exception {
        Process capnp = new ProcessBuilder("capnp", "compile", "-Isrc/main/capnp", "--src-prefix=src/test/capnp",
                "-o-", "src/test/capnp/test.capnp").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] request = capnp.getInputStream().readAllBytes();
        assertEquals(0, capnp.waitFor());
        List<GeneratedFile> files = CapnpcJava.generate(new ByteArrayInputStream(request), "");
        assertEquals(1, files.size());
        assertEquals(files.get(0).source(), Files.readString(Path.of("src/test/java", files.get(0).path())),
                "TestSchema.java is stale: run capnp/generate.sh");
    }
}
