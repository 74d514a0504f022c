package io.backflow.load.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Optional;

/**
 * An HTTP response: status, body text and the {@code Retry-After} header if any.
 *
 * @param status the HTTP status code
 * @param body the body as text; empty if there was none
 * @param retryAfter the raw {@code Retry-After} header value, if present
 */
public record HttpAnswer(int status, String body, Optional<String> retryAfter) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The body as JSON; a missing node if it is empty or not JSON (an API's error page, say). */
    public JsonNode json() {
        if (body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /** The body shortened for an error message. */
    public String bodyExcerpt() {
        String text = body.strip().replaceAll("\\s+", " ");
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
