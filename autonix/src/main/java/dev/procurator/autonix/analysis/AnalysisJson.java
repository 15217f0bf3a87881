package dev.procurator.autonix.analysis;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON report: the analysis record as is, indented, every field present (null when unknown). */
public final class AnalysisJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private AnalysisJson() {
    }

    public static String write(RepositoryAnalysis analysis) {
        return MAPPER.writeValueAsString(analysis);
    }
}
