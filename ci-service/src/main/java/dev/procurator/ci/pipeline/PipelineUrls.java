package dev.procurator.ci.pipeline;

import org.springframework.stereotype.Component;

import dev.procurator.common.config.ProcuratorProperties;

/** Where people find a pipeline: its dashboard page under the CI's public URL ({@code PROCURATOR_CI_URL}). */
@Component
public class PipelineUrls {

    private final String ciUrl;

    PipelineUrls(ProcuratorProperties platform) {
        this.ciUrl = platform.ciUrl();
    }

    public String page(long pipelineId) {
        return ciUrl + "/pipelines/" + pipelineId;
    }

    /** The URL the forge delivers push webhooks to. */
    public String webhook() {
        return ciUrl + "/hooks/forge";
    }
}
