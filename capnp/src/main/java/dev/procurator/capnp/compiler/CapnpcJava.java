package dev.procurator.capnp.compiler;

import dev.procurator.capnp.compiler.SchemaModel.CodeGeneratorRequest;
import dev.procurator.capnp.compiler.SchemaModel.Node;
import dev.procurator.capnp.compiler.SchemaModel.RequestedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.capnproto.MessageReader;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;

/**
 * The {@code capnp compile} plugin: reads a CodeGeneratorRequest on stdin and writes one Java file per
 * requested schema into the current directory (capnp runs plugins inside the {@code :outdir}).
 *
 * <p>Files without a {@code $Java.package} annotation go to the package named by the environment
 * variable {@code CAPNPC_JAVA_PACKAGE} (default: the unnamed package).
 */
public final class CapnpcJava {
    private CapnpcJava() {
    }

    public static void main(String[] args) throws IOException {
        Path outDir = Path.of(args.length > 0 ? args[0] : ".");
        String defaultPackage = System.getenv().getOrDefault("CAPNPC_JAVA_PACKAGE", "");
        try {
            for (GeneratedFile file : generate(System.in, defaultPackage)) {
                Path target = outDir.resolve(file.path());
                Files.createDirectories(target.getParent() == null ? outDir : target.getParent());
                Files.writeString(target, file.source(), StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("capnpc-java: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Generates the Java sources for every requested file of a serialized CodeGeneratorRequest. */
    public static List<GeneratedFile> generate(InputStream request, String defaultPackage) throws IOException {
        ReaderOptions options = new ReaderOptions(Long.MAX_VALUE / 8, 64);
        MessageReader message = Serialize.read(Channels.newChannel(request), options);
        CodeGeneratorRequest root = new CodeGeneratorRequest(message.getRoot(RawStruct.FACTORY));
        Map<Long, Node> nodes = new HashMap<>();
        for (Node node : root.nodes()) {
            nodes.put(node.id(), node);
        }
        NameTable names = new NameTable(nodes, defaultPackage);
        JavaGenerator generator = new JavaGenerator(nodes, names, root.docs());
        List<GeneratedFile> out = new ArrayList<>();
        for (RequestedFile file : root.requestedFiles()) {
            out.add(generator.generate(file.id()));
        }
        return out;
    }
}
