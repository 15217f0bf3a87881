package dev.procurator.autonix.language;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.procurator.autonix.scan.RepositoryFiles;

/**
 * Counts source files per language by extension. Data and documentation formats (JSON, YAML, Markdown, ...) are
 * deliberately absent: they say nothing about what must be built or run.
 */
public final class LanguageDetector {

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("java", "Java"), Map.entry("kt", "Kotlin"), Map.entry("kts", "Kotlin"),
            Map.entry("scala", "Scala"), Map.entry("groovy", "Groovy"), Map.entry("clj", "Clojure"),
            Map.entry("js", "JavaScript"), Map.entry("mjs", "JavaScript"), Map.entry("cjs", "JavaScript"),
            Map.entry("jsx", "JavaScript"), Map.entry("ts", "TypeScript"), Map.entry("tsx", "TypeScript"),
            Map.entry("rs", "Rust"), Map.entry("go", "Go"), Map.entry("py", "Python"), Map.entry("rb", "Ruby"),
            Map.entry("php", "PHP"), Map.entry("c", "C"), Map.entry("h", "C"), Map.entry("cc", "C++"),
            Map.entry("cpp", "C++"), Map.entry("cxx", "C++"), Map.entry("hpp", "C++"), Map.entry("cs", "C#"),
            Map.entry("swift", "Swift"), Map.entry("m", "Objective-C"), Map.entry("sh", "Shell"),
            Map.entry("bash", "Shell"), Map.entry("nix", "Nix"), Map.entry("hs", "Haskell"),
            Map.entry("ex", "Elixir"), Map.entry("exs", "Elixir"), Map.entry("erl", "Erlang"),
            Map.entry("lua", "Lua"), Map.entry("dart", "Dart"), Map.entry("zig", "Zig"), Map.entry("ml", "OCaml"),
            Map.entry("html", "HTML"), Map.entry("css", "CSS"), Map.entry("scss", "CSS"), Map.entry("vue", "Vue"),
            Map.entry("svelte", "Svelte"), Map.entry("sql", "SQL"), Map.entry("proto", "Protocol Buffers"),
            Map.entry("capnp", "Cap'n Proto"), Map.entry("tf", "Terraform"));

    /** Languages ordered by file count (most first), then name. */
    public List<LanguageUsage> detect(RepositoryFiles files) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String path : files.paths()) {
            String language = languageOf(path);
            if (language != null) {
                counts.merge(language, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .map(entry -> new LanguageUsage(entry.getKey(), entry.getValue()))
                .sorted(Comparator.comparingInt(LanguageUsage::files).reversed().thenComparing(LanguageUsage::name))
                .toList();
    }

    static String languageOf(String path) {
        String name = RepositoryFiles.fileName(path);
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return null; // no extension, or a dotfile such as .env
        }
        return BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
