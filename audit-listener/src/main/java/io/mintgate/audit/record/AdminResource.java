package io.mintgate.audit.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The non-human identity an admin event touched. The admin representation is deliberately never copied: for clients
 * it can carry the client secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminResource(String type, String operation, String path, String id, Boolean serviceAccount,
                            Boolean secretRotation) {
}
