package io.mintgate.audit.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Who caused the event: the calling client for token events, the authenticated admin for admin events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Actor(String userId, String clientId, String realm, String ipAddress) {
}
