package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbsentValuesTest {

    private static boolean eval(String expression, IssuanceRequest request) throws PolicyValidationException {
        return PolicyCompiler.compilePredicate("test", expression).test(request);
    }

    @Test
    void aRequestBuiltFromNullsHasEmptyDefaults() throws Exception {
        IssuanceRequest empty = new IssuanceRequest(null, null, null, null, null, null, null, null, null, null, null);
        assertThat(empty.subject()).isSameAs(SubjectInfo.NONE);
        assertThat(empty.nhi()).isSameAs(NhiInfo.NONE);
        assertThat(empty.grant().scopes()).isEmpty();
        assertThat(eval("realm == '' && grant.scopes.size() == 0 && client.attributes.size() == 0", empty)).isTrue();
    }

    @Test
    void absentContextObjectsReportNotPresent() throws Exception {
        IssuanceRequest r = ciRunner();
        assertThat(eval("subject.present || actor.present || organization.present || nhi.present", r)).isFalse();
        assertThat(eval("workload.present", r)).isTrue();
        assertThat(eval("has(subject.id) || has(organization.alias) || has(actor.clientId)", r)).isFalse();
    }

    @Test
    void hasIsFalseForAnNhiWithoutExpiryAndTrueOnceOneIsSet() throws Exception {
        IssuanceRequest noExpiry = Requests.with(ciRunner(), new NhiInfo("alice", true, true, null, "ci"));
        IssuanceRequest expiring = Requests.with(ciRunner(), new NhiInfo("alice", true, true, Instant.parse("2030-01-01T00:00:00Z"), "ci"));
        assertThat(eval("has(nhi.expiresAt)", noExpiry)).isFalse();
        assertThat(eval("has(nhi.expiresAt) && nhi.expiresAt > now", expiring)).isTrue();
        assertThat(eval("has(nhi.expiresAt) && nhi.expiresAt < now", noExpiry)).as("short-circuits").isFalse();
    }

    @Test
    void readingAnAbsentTimestampWithoutHasIsAnEvaluationError() {
        assertThatThrownBy(() -> eval("nhi.expiresAt < now", ciRunner()))
                .isInstanceOf(PolicyEvaluationException.class).hasMessageContaining("has()");
    }

    @Test
    void missingMapKeysCanBeTestedWithInOrOptionalSyntax() throws Exception {
        IssuanceRequest r = ciRunner();
        assertThat(eval("'mintgate.tenant' in client.attributes", r)).isFalse();
        assertThat(eval("client.attributes[?'mintgate.tenant'].orValue('none') == 'none'", r)).isTrue();
        assertThat(eval("has(workload.claims.ref) && !has(workload.claims.job_workflow_ref)", r)).isTrue();
    }

    @Test
    void subjectAttributesAndClientRolesAreMultiValued() throws Exception {
        IssuanceRequest r = Requests.with(ciRunner(), new SubjectInfo("u-1", "alice", true, false,
                Map.of("department", List.of("finance", "audit")), List.of("employee"),
                Map.of("billing", List.of("viewer")), List.of("/finance")));
        assertThat(eval("subject.present && 'audit' in subject.attributes['department'] "
                + "&& 'viewer' in subject.clientRoles['billing'] && subject.groups == ['/finance']", r)).isTrue();
    }

    @Test
    void workloadClaimNumbersAreCelIntegers() throws Exception {
        assertThat(eval("workload.claims['run_attempt'] == 1 && workload.claims['run_attempt'] < 2", ciRunner())).isTrue();
    }
}
