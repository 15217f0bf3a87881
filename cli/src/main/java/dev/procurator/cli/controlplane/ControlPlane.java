package dev.procurator.cli.controlplane;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.procurator.cli.api.ApiClient;
import dev.procurator.cli.api.ApiError;
import dev.procurator.cli.api.CliConfig;
import dev.procurator.cli.api.CliException;
import tools.jackson.databind.JsonNode;

/**
 * The control plane's HTTP API as the {@code status}, {@code workers} and {@code deploy} commands use it. Reads need
 * no token (one is sent when configured); operator calls need the admin token. A follower answers an operator call
 * with {@code not_leader} and names the leader's URL in its message: the call is sent there once.
 */
final class ControlPlane {

    private static final Pattern ID = Pattern.compile("\\d+");
    private static final Pattern URL = Pattern.compile("https?://[^\\s,;()\"']+");

    private final CliConfig config;
    private final ApiClient api;

    ControlPlane(CliConfig config) {
        this.config = config;
        this.api = new ApiClient(config.url(CliConfig.Endpoint.CONTROL_PLANE), config.token());
    }

    static ControlPlane fromEnvironment() {
        return new ControlPlane(CliConfig.load(System.getenv()));
    }

    String url() {
        return api.baseUrl();
    }

    JsonNode cluster() {
        return read("/api/v1/cluster");
    }

    JsonNode rollouts(String vm) {
        return read("/api/v1/rollouts" + (vm == null ? "" : "?vm=" + encode(vm)));
    }

    JsonNode rollout(String id) {
        return read("/api/v1/rollouts/" + encode(id));
    }

    /**
     * The rollout {@code vmOrId} names: the newest (highest id) rollout of that VM, else the rollout with that id.
     *
     * @throws CliException when neither exists
     */
    JsonNode findRollout(String vmOrId) {
        JsonNode ofVm = rollouts(vmOrId);
        if (!ofVm.isEmpty()) {
            JsonNode newest = ofVm.get(0);
            for (JsonNode rollout : ofVm) {
                if (rollout.path("id").asLong() > newest.path("id").asLong()) {
                    newest = rollout;
                }
            }
            return rollout(newest.path("id").asString());
        }
        boolean numeric = ID.matcher(vmOrId).matches();
        String none = "No rollout of a VM named '" + vmOrId + "'" + (numeric ? " and no rollout with that id" : "");
        if (!numeric) {
            throw new CliException(none);
        }
        try {
            return rollout(vmOrId);
        } catch (ApiError e) {
            if (e.status() == 404) {
                throw new CliException(none);
            }
            throw e;
        }
    }

    /** {@code promote}, {@code pause}, {@code resume} or {@code rollback} on the VM's current rollout. */
    JsonNode operate(String vm, String action, Map<String, Object> body) {
        return write(client -> client.post("/api/v1/vms/" + encode(vm) + "/" + action, body));
    }

    JsonNode drain(String workerId, boolean drain) {
        return write(client -> client.post("/api/v1/workers/" + encode(workerId) + "/drain", Map.of("drain", drain)));
    }

    private JsonNode read(String path) {
        return api.get(path);
    }

    private JsonNode write(Function<ApiClient, JsonNode> call) {
        ApiClient admin = new ApiClient(api.baseUrl(), config.requireToken());
        try {
            return call.apply(admin);
        } catch (ApiError e) {
            String leader = leaderUrl(e);
            if (leader == null) {
                throw e;
            }
            return call.apply(new ApiClient(leader, config.requireToken()));
        }
    }

    /** The leader's URL a {@code not_leader} refusal names, or null for any other error (or none named). */
    static String leaderUrl(ApiError e) {
        if (!"not_leader".equals(e.error())) {
            return null;
        }
        Matcher matcher = URL.matcher(e.serviceMessage());
        return matcher.find() ? matcher.group().replaceAll("[.]+$", "") : null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
