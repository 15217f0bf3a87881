package dev.procurator.ci.webhook;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.procurator.ci.pipeline.PipelineUrls;
import dev.procurator.common.error.ApiException;
import dev.procurator.common.webhook.WebhookSignature;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /hooks/forge}: the forge's push webhook, exactly as it delivers it ({@code X-Procurator-Event},
 * {@code X-Procurator-Delivery}, {@code X-Procurator-Signature-256} = HMAC-SHA256 of the body). A bad or missing
 * signature is 401 and nothing happens; other events are acknowledged and ignored; a push is acknowledged once its
 * pipeline is durably queued.
 */
@RestController
class ForgeWebhookController {

    static final String EVENT_HEADER = "X-Procurator-Event";
    static final String DELIVERY_HEADER = "X-Procurator-Delivery";

    /** The answer the forge records with the delivery. */
    record Answer(String result, Long pipeline, String url, String message) {
    }

    private final WebhookSecret secret;
    private final WebhookReceiver receiver;
    private final PipelineUrls urls;
    private final ObjectMapper json;

    ForgeWebhookController(WebhookSecret secret, WebhookReceiver receiver, PipelineUrls urls, ObjectMapper json) {
        this.secret = secret;
        this.receiver = receiver;
        this.urls = urls;
        this.json = json;
    }

    @PostMapping("/hooks/forge")
    ResponseEntity<Answer> receive(@RequestHeader(name = EVENT_HEADER, required = false) String event,
                                   @RequestHeader(name = DELIVERY_HEADER, required = false) String deliveryId,
                                   @RequestHeader(name = WebhookSignature.HEADER, required = false)
                                   String signature,
                                   @RequestBody(required = false) byte[] body) {
        byte[] payload = body == null ? new byte[0] : body;
        if (!secret.verifies(payload, signature)) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid_signature", signature == null
                    ? "Missing " + WebhookSignature.HEADER + ": the hook needs the CI's webhook secret "
                    + "(procurator repo connect sets it up)."
                    : "The signature does not match the body: the hook's secret is not the CI's.");
        }
        if (event == null || event.isBlank()) {
            throw ApiException.badRequest("missing_event", "Missing " + EVENT_HEADER + ".");
        }
        if (!event.equals("push")) {
            return ResponseEntity.ok(new Answer("ignored", null, null, "event '" + event + "' is not built"));
        }
        if (deliveryId == null || deliveryId.isBlank() || deliveryId.length() > 100) {
            throw ApiException.badRequest("missing_delivery", "Missing or overlong " + DELIVERY_HEADER + ".");
        }
        ForgePush push;
        try {
            push = json.readValue(payload, ForgePush.class);
        } catch (JacksonException e) {
            throw ApiException.badRequest("invalid_payload", "The push payload is not valid JSON: "
                    + e.getOriginalMessage());
        }
        WebhookReceiver.Received received;
        try {
            received = receiver.push(deliveryId, push);
        } catch (DataIntegrityViolationException concurrentDuplicate) {
            received = receiver.duplicateOf(deliveryId);
        }
        Answer answer = new Answer(received.result(), received.pipelineId(),
                received.pipelineId() == null ? null : urls.page(received.pipelineId()), received.message());
        return ResponseEntity.status(received.result().equals("queued") ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .body(answer);
    }
}
