package io.mintgate.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Binds manifest fragments to the fabric8 Kubernetes model (the API types, generated from Kubernetes' OpenAPI) and
 * fails on any field the type does not have. fabric8's classes keep unknown fields in an "additionalProperties" map
 * (their {@code @JsonAnySetter}); that is switched off here, so a misspelt {@code subPathExpr} is an error that
 * names the field and where it is, as {@code kubectl apply --validate=strict} would report it.
 */
final class StrictKubernetes {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return isFabric8(a) ? Boolean.FALSE : super.hasAnySetter(a);
                }
            });

    private StrictKubernetes() {
    }

    private static boolean isFabric8(Annotated a) {
        return a instanceof AnnotatedMember m && m.getDeclaringClass().getName().startsWith("io.fabric8.");
    }

    /** The problem binding {@code node} (found at {@code where}) to {@code type}, if any. */
    static Optional<String> problem(String where, JsonNode node, Class<?> type) {
        return bind(where, node, MAPPER.getTypeFactory().constructType(type));
    }

    /** The problem binding the list {@code node} (found at {@code where}) to a list of {@code type}, if any. */
    static Optional<String> listProblem(String where, JsonNode node, Class<?> type) {
        return bind(where, node, MAPPER.getTypeFactory().constructCollectionType(List.class, type));
    }

    private static Optional<String> bind(String where, JsonNode node, com.fasterxml.jackson.databind.JavaType type) {
        try {
            MAPPER.readerFor(type).readValue(MAPPER.treeAsTokens(node));
            return Optional.empty();
        } catch (UnrecognizedPropertyException e) {
            return Optional.of(where + path(e) + ": unknown field \"" + e.getPropertyName() + "\" in "
                    + e.getReferringClass().getSimpleName());
        } catch (InvalidFormatException e) {
            return Optional.of(where + path(e) + ": " + e.getValue() + " is not a valid " + e.getTargetType().getSimpleName());
        } catch (MismatchedInputException e) {
            return Optional.of(where + path(e) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            return Optional.of(where + ": " + e.getMessage());
        }
    }

    /** The JSON path of the failing field, below the fragment's root, e.g. {@code .spec.containers[0].volumeMounts[1]}. */
    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
    }
}
