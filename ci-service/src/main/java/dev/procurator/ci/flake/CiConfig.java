package dev.procurator.ci.flake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * A flake's {@code procurator.ci} output: named commands CI runs after {@code nix flake check}, {@code checks} first,
 * then {@code builds}, each in order (autonix writes the same shape). Every problem is reported at once, each naming
 * its option as cluster.nix does:
 *
 * <pre>
 * procurator.ci = {
 *   checks = [ { name = "unit"; command = "mvn -B verify"; dir = "api"; timeout = 900;
 *                env = { MAVEN_OPTS = "-Xmx1g"; }; } ];
 *   builds = [ { name = "site"; command = "npm run build"; dir = "web"; } ];
 * };
 * </pre>
 */
public record CiConfig(List<Step> steps) {

    public static final CiConfig NONE = new CiConfig(List.of());

    private static final Set<String> SECTIONS = Set.of("checks", "builds");
    private static final Set<String> STEP_OPTIONS = Set.of("name", "command", "dir", "timeout", "env");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * One command.
     *
     * @param section  {@code checks} or {@code builds}
     * @param name     its name in the flake
     * @param stepName the pipeline step: {@code ci.<section>.<name as a URL-safe slug>}
     * @param dir      relative to the repository root
     */
    public record Step(String section, String name, String stepName, String command, String dir, Duration timeout,
                       Map<String, String> env) {
    }

    /**
     * Reads the JSON of {@code procurator.ci} ({@code null} when the flake has none).
     *
     * @throws InvalidCiConfig listing every problem
     */
    public static CiConfig parse(JsonNode json, Duration defaultTimeout, Duration maxTimeout) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return NONE;
        }
        List<String> problems = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        if (!json.isObject()) {
            throw new InvalidCiConfig(List.of(
                    "procurator.ci: must be an attribute set { checks = [...]; builds = [...]; }"));
        }
        unknown("procurator.ci", json, SECTIONS, problems);
        Set<String> stepNames = new HashSet<>();
        for (String section : List.of("checks", "builds")) {
            JsonNode list = json.path(section);
            String path = "procurator.ci." + section;
            if (list.isMissingNode() || list.isNull()) {
                continue;
            }
            if (!list.isArray()) {
                problems.add(path + ": must be a list of { name; command; ... }");
                continue;
            }
            for (int i = 0; i < list.size(); i++) {
                Step step = step(section, path + "[" + i + "]", list.get(i), defaultTimeout, maxTimeout, problems);
                if (step != null && !stepNames.add(step.stepName())) {
                    problems.add(path + "[" + i + "].name: \"" + step.name() + "\" is used twice in " + path);
                } else if (step != null) {
                    steps.add(step);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCiConfig(problems);
        }
        return new CiConfig(List.copyOf(steps));
    }

    private static Step step(String section, String path, JsonNode json, Duration defaultTimeout, Duration maxTimeout,
                             List<String> problems) {
        if (!json.isObject()) {
            problems.add(path
                    + ": must be an attribute set { name; command; dir ? \".\"; timeout ? seconds; env ? { }; }");
            return null;
        }
        int before = problems.size();
        unknown(path, json, STEP_OPTIONS, problems);
        String name = requiredString(path + ".name", json.get("name"), problems);
        String command = requiredString(path + ".command", json.get("command"), problems);
        String dir = json.hasNonNull("dir") ? json.get("dir").asString() : ".";
        if (json.hasNonNull("dir") && !json.get("dir").isString()) {
            problems.add(path + ".dir: must be a string");
        } else if (dir.startsWith("/") || List.of(dir.split("/")).contains("..")) {
            problems.add(path + ".dir: must be a path inside the repository, got \"" + dir + "\"");
        }
        Duration timeout = defaultTimeout;
        JsonNode seconds = json.get("timeout");
        if (seconds != null && !seconds.isNull()) {
            if (!seconds.isIntegralNumber() || seconds.asLong() < 1) {
                problems.add(path + ".timeout: must be a positive number of seconds, got " + seconds);
            } else if (Duration.ofSeconds(seconds.asLong()).compareTo(maxTimeout) > 0) {
                problems.add(path + ".timeout: " + seconds.asLong() + " s is more than this CI allows ("
                        + maxTimeout.toSeconds() + " s)");
            } else {
                timeout = Duration.ofSeconds(seconds.asLong());
            }
        }
        Map<String, String> env = env(path + ".env", json.get("env"), problems);
        if (problems.size() > before) {
            return null;
        }
        return new Step(section, name, "ci." + section + "." + slug(name), command, dir, timeout, env);
    }

    private static Map<String, String> env(String path, JsonNode json, List<String> problems) {
        Map<String, String> env = new LinkedHashMap<>();
        if (json == null || json.isNull()) {
            return env;
        }
        if (!json.isObject()) {
            problems.add(path + ": must be an attribute set of strings");
            return env;
        }
        for (String name : json.propertyNames()) {
            JsonNode value = json.get(name);
            if (!ENV_NAME.matcher(name).matches()) {
                problems.add(path + "." + name + ": not a valid environment variable name");
            } else if (!value.isString()) {
                problems.add(path + "." + name + ": must be a string, got " + value);
            } else {
                env.put(name, value.asString());
            }
        }
        return env;
    }

    private static String requiredString(String path, JsonNode value, List<String> problems) {
        if (value == null || value.isNull()) {
            problems.add(path + ": is required");
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            problems.add(path + ": must be a non-empty string, got " + value);
            return null;
        }
        return value.asString();
    }

    private static void unknown(String path, JsonNode json, Set<String> known, List<String> problems) {
        List<String> unknown = json.propertyNames().stream().filter(name -> !known.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            problems.add(path + ": unknown option(s) " + unknown.stream().map(n -> "\"" + n + "\"").toList()
                    + "; known options: " + known.stream().sorted().map(n -> "\"" + n + "\"").toList());
        }
    }

    /** A step name as one URL path segment: {@code web/npm test} becomes {@code web-npm-test}. */
    static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "step" : slug;
    }

    /** {@code procurator.ci} breaks the schema; the message lists every problem. */
    public static final class InvalidCiConfig extends RuntimeException {
        private final List<String> problems;

        InvalidCiConfig(List<String> problems) {
            super(String.join("\n", problems), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
