package io.mintgate.authorizer.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferredMapTest {

    private final AtomicInteger lookups = new AtomicInteger();

    private SubjectInfo subjectWithDeferredAttributes(Map<String, List<String>> attributes) {
        return new SubjectInfo("u-1", "alice", true, false, DeferredMap.ofMultimap(() -> {
            lookups.incrementAndGet();
            return attributes;
        }), List.of(), Map.of(), List.of());
    }

    @Test
    void aPolicyThatNeverReadsTheAttributesNeverLooksThemUp() throws Exception {
        SubjectInfo subject = subjectWithDeferredAttributes(Map.of("dept", List.of("ops")));
        Decision d = PolicyCompiler.compile("""
                {"rules": [{"name": "on", "reason": "x", "allowIf": "subject.enabled"}]}
                """).evaluate(Requests.with(Requests.ciRunner(), subject));
        assertThat(d.allowed()).isTrue();
        assertThat(lookups).hasValue(0);
        assertThat(((DeferredMap<List<String>>) subject.attributes()).fetched()).isFalse();
    }

    @Test
    void aPolicyThatReadsThemLooksThemUpOnceAndSeesThemCopiedWithoutNulls() throws Exception {
        Map<String, List<String>> raw = new HashMap<>();
        raw.put("dept", Arrays.asList("ops", null));
        raw.put(null, List.of("dropped"));
        SubjectInfo subject = subjectWithDeferredAttributes(raw);
        PolicySet policy = PolicyCompiler.compile("""
                {"rules": [{"name": "r1", "reason": "x", "allowIf": "'dept' in subject.attributes"},
                           {"name": "r2", "reason": "y", "allowIf": "subject.attributes['dept'] == ['ops']"}]}
                """);
        assertThat(policy.evaluate(Requests.with(Requests.ciRunner(), subject)).allowed()).isTrue();
        assertThat(lookups).hasValue(1);
        assertThat(subject.attributes()).containsOnlyKeys("dept");
        assertThat(subject.attributes().get("dept")).containsExactly("ops");
    }

    @Test
    void aFailingLookupIsAnEvaluationErrorThatDeniesByDefault() throws Exception {
        SubjectInfo subject = new SubjectInfo("u-1", "alice", true, false, DeferredMap.ofMultimap(() -> {
            throw new IllegalStateException("store unavailable");
        }), List.of(), Map.of(), List.of());
        Decision d = PolicyCompiler.compile("""
                {"rules": [{"name": "attrs", "reason": "x", "deny": "'x' in subject.attributes"}]}
                """).evaluate(Requests.with(Requests.ciRunner(), subject));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("policy_error");
    }

    @Test
    void keyedAttributesAreReadKeyByKeyAndFetchedWholeOnlyWhenIterated() throws Exception {
        AtomicInteger keyReads = new AtomicInteger();
        Map<String, String> raw = new HashMap<>();
        raw.put("mintgate.kind", "ci-runner");
        raw.put("empty", null);
        Map<String, String> attributes = DeferredMap.ofKeyed(key -> {
            keyReads.incrementAndGet();
            return raw.get(key);
        }, () -> {
            lookups.incrementAndGet();
            return raw;
        });
        ClientInfo client = new ClientInfo("c-1", "ci", "client-secret", false, attributes, List.of(), List.of());
        IssuanceRequest request = Requests.with(Requests.ciRunner(), client);

        PolicySet byKey = PolicyCompiler.compile("""
                {"rules": [{"name": "kind", "reason": "x", "allowIf": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner'"},
                           {"name": "absent", "reason": "y", "deny": "'empty' in client.attributes || 'other' in client.attributes"}]}
                """);
        assertThat(byKey.evaluate(request).allowed()).isTrue();
        assertThat(keyReads.get()).isPositive();
        assertThat(lookups).hasValue(0);

        PolicySet iterating = PolicyCompiler.compile("""
                {"rules": [{"name": "size", "reason": "x", "allowIf": "client.attributes.size() == 1 && client.attributes.exists(k, k == 'mintgate.kind')"}]}
                """);
        assertThat(iterating.evaluate(request).allowed()).isTrue();
        assertThat(lookups).hasValue(1);
        assertThat(client.attributes()).containsExactly(Map.entry("mintgate.kind", "ci-runner"));
    }
}
