package dev.procurator.autonix.ci;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.procurator.autonix.scan.ParsedFiles;
import dev.procurator.autonix.scan.RepositoryFiles;

/**
 * CI configurations at the places CI systems read them (the repository root). Job names come from GitHub Actions
 * workflows and .gitlab-ci.yml; a flake declaring {@code procurator.ci} is Procurator's own CI.
 */
public final class CiDetector {

    /** Files whose mere presence identifies a CI system whose jobs we do not list. */
    private static final Map<String, String> MARKER_FILES = Map.of(
            "Jenkinsfile", "jenkins",
            ".circleci/config.yml", "circleci",
            ".travis.yml", "travis",
            "azure-pipelines.yml", "azure-pipelines",
            "bitbucket-pipelines.yml", "bitbucket-pipelines",
            ".drone.yml", "drone",
            ".woodpecker.yml", "woodpecker");

    /** Top-level .gitlab-ci.yml keys that configure the pipeline rather than name a job. */
    private static final Set<String> GITLAB_KEYWORDS = Set.of("stages", "variables", "default", "include", "workflow",
            "image", "services", "before_script", "after_script", "cache");

    private static final Pattern PROCURATOR_CI =
            Pattern.compile("procurator\\s*\\.\\s*ci\\b|procurator\\s*=\\s*\\{[\\s\\S]*?\\bci\\s*=");

    public List<CiConfig> detect(ParsedFiles files) {
        RepositoryFiles repo = files.files();
        List<CiConfig> configs = new ArrayList<>();
        for (String path : repo.paths()) {
            if (path.startsWith(".github/workflows/") && path.indexOf('/', ".github/workflows/".length()) < 0
                    && (path.endsWith(".yml") || path.endsWith(".yaml"))) {
                configs.add(new CiConfig("github-actions", path, githubJobs(files, path)));
            }
        }
        if (repo.exists(".gitlab-ci.yml")) {
            configs.add(new CiConfig("gitlab-ci", ".gitlab-ci.yml", gitlabJobs(files)));
        }
        if (repo.exists("flake.nix")
                && files.text("flake.nix").map(text -> PROCURATOR_CI.matcher(text).find()).orElse(false)) {
            configs.add(new CiConfig("procurator", "flake.nix", List.of()));
        }
        MARKER_FILES.forEach((path, system) -> {
            if (repo.exists(path)) {
                configs.add(new CiConfig(system, path, List.of()));
            }
        });
        configs.sort(Comparator.comparing(CiConfig::path));
        return configs;
    }

    private static List<String> githubJobs(ParsedFiles files, String path) {
        Object document = files.yaml(path).orElse(null);
        if (document == null) {
            return List.of();
        }
        if (document instanceof Map<?, ?> root && root.get("jobs") instanceof Map<?, ?> jobs) {
            return jobs.keySet().stream().map(String::valueOf).toList();
        }
        files.warnings().add(path, "no \"jobs\" mapping: not a workflow this analyzer understands");
        return List.of();
    }

    private static List<String> gitlabJobs(ParsedFiles files) {
        Object document = files.yaml(".gitlab-ci.yml").orElse(null);
        if (!(document instanceof Map<?, ?> root)) {
            if (document != null) {
                files.warnings().add(".gitlab-ci.yml", "not a mapping of jobs");
            }
            return List.of();
        }
        return root.entrySet().stream()
                .filter(entry -> entry.getValue() instanceof Map<?, ?>)
                .map(entry -> String.valueOf(entry.getKey()))
                .filter(name -> !name.startsWith(".") && !GITLAB_KEYWORDS.contains(name))
                .toList();
    }
}
