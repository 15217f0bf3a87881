package dev.procurator.autonix.scan;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses JSON, YAML and XML manifests of a repository, each file at most once (several detectors read the same
 * package.json or pom.xml), turning a malformed file into one warning and an empty result.
 */
public final class ParsedFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RepositoryFiles files;
    private final Map<String, Optional<?>> parsed = new HashMap<>();

    public ParsedFiles(RepositoryFiles files) {
        this.files = files;
    }

    public RepositoryFiles files() {
        return files;
    }

    public Warnings warnings() {
        return files.warnings();
    }

    public Optional<String> text(String path) {
        return parse(path, "text", Function.identity());
    }

    public Optional<JsonNode> json(String path) {
        return parse(path, "JSON", JSON::readTree);
    }

    /**
     * The first document of a YAML file as plain maps, lists and scalars (Spring's application.yml may hold several,
     * one per profile; the first is the default). SafeConstructor: a repository's YAML must not create Java objects;
     * {@link ComposeFriendlyResolver}: "22:22" is a string, as in YAML 1.2.
     */
    public Optional<Object> yaml(String path) {
        return parse(path, "YAML", text -> {
            for (Object document : yamlParser().loadAll(text)) {
                if (document != null) {
                    return document;
                }
            }
            throw new IllegalArgumentException("the document is empty");
        });
    }

    private static Yaml yamlParser() {
        LoaderOptions options = new LoaderOptions();
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
                new ComposeFriendlyResolver());
    }

    public Optional<Document> xml(String path) {
        return parse(path, "XML", ParsedFiles::parseXml);
    }

    @SuppressWarnings("unchecked")
    private <T> Optional<T> parse(String path, String format, Function<String, T> parser) {
        String key = format + ":" + path;
        if (!parsed.containsKey(key)) {
            parsed.put(key, files.read(path).flatMap(text -> tryParse(path, format, text, parser)));
        }
        return (Optional<T>) parsed.get(key);
    }

    private <T> Optional<T> tryParse(String path, String format, String text, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(text));
        } catch (RuntimeException e) {
            warnings().add(path, "malformed " + format + ": " + firstLine(e.getMessage()));
            return Optional.empty();
        }
    }

    private static Document parseXml(String text) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // A pom.xml has no business with DTDs or external entities (XXE).
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // no "[Fatal Error]" on stderr
            return builder.parse(new InputSource(new StringReader(text)));
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "cannot be parsed";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
