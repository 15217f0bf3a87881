package dev.procurator.autonix.scan;

import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * SnakeYAML speaks YAML 1.1, where an unquoted {@code 22:22} is the base-60 integer 1342. Compose, GitHub Actions and
 * Spring read YAML 1.2, where it is the string "22:22" (a port mapping). This resolver drops the base-60 forms so
 * the analyzer reads such values as those tools do.
 */
final class ComposeFriendlyResolver extends Resolver {

    /** SnakeYAML 2.6's INT pattern without its sexagesimal alternative. */
    private static final Pattern INT_WITHOUT_BASE_60 = Pattern.compile("^(?:[-+]?0b_*[0-1][0-1_]*|[-+]?0_*[0-7][0-7_]*"
            + "|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x_*[0-9a-fA-F][0-9a-fA-F_]*)$");
    /** SnakeYAML 2.6's FLOAT pattern without its sexagesimal alternative. */
    private static final Pattern FLOAT_WITHOUT_BASE_60 = Pattern.compile("^([-+]?(?:[0-9][0-9_]*)\\.[0-9_]*"
            + "(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
        addImplicitResolver(Tag.INT, INT_WITHOUT_BASE_60, "-+0123456789");
        addImplicitResolver(Tag.FLOAT, FLOAT_WITHOUT_BASE_60, "-+0123456789.");
        addImplicitResolver(Tag.MERGE, MERGE, "<");
        addImplicitResolver(Tag.NULL, NULL, "~nN\0");
        addImplicitResolver(Tag.NULL, EMPTY, null);
        addImplicitResolver(Tag.TIMESTAMP, TIMESTAMP, "0123456789");
        addImplicitResolver(Tag.YAML, YAML, "!&*");
    }
}
