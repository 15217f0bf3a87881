package dev.procurator.autonix.analysis;

import java.util.List;

import dev.procurator.autonix.build.BuildSystem;
import dev.procurator.autonix.ci.CiConfig;
import dev.procurator.autonix.language.LanguageUsage;
import dev.procurator.autonix.scan.Warning;
import dev.procurator.autonix.service.Service;

/** Everything autonix found in one repository: the JSON report is this record. */
public record RepositoryAnalysis(String repository, List<LanguageUsage> languages, List<BuildSystem> buildSystems,
                                 List<Service> services, List<CiConfig> ci, List<Warning> warnings) {
}
