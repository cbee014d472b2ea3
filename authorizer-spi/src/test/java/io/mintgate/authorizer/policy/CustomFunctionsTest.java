package io.mintgate.authorizer.policy;

import static io.mintgate.authorizer.policy.Requests.ciRunner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintgate.authorizer.policy.cel.Cidr;
import io.mintgate.authorizer.policy.cel.Glob;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomFunctionsTest {

    private static boolean eval(String expression, IssuanceRequest request) {
        try {
            return PolicyCompiler.compilePredicate("test", expression).test(request);
        } catch (PolicyValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static IssuanceRequest from(String address) {
        return Requests.with(ciRunner(), new NetworkInfo(address, null, null));
    }

    @ParameterizedTest
    @CsvSource({
            "10.20.30.40, 10.0.0.0/8, true",
            "11.0.0.1, 10.0.0.0/8, false",
            "192.168.1.7, 192.168.1.7, true",
            "192.168.1.7, 192.168.1.0/29, true",
            "192.168.1.8, 192.168.1.0/29, false",
            "2001:db8::1, 2001:db8::/32, true",
            "2001:db9::1, 2001:db8::/32, false",
            "::ffff:10.1.2.3, 10.0.0.0/8, true",
            "10.1.2.3, 2001:db8::/32, false",
            "not-an-ip, 10.0.0.0/8, false",
            "fe80::1%eth0, fe80::/10, true",
            "0.0.0.0, 0.0.0.0/0, true"})
    void inCidrMatchesIpv4AndIpv6Networks(String address, String cidr, boolean expected) {
        assertThat(eval("network.sourceAddress.inCidr('" + cidr + "')", from(address))).isEqualTo(expected);
    }

    @Test
    void inCidrAcceptsAListOfNetworks() {
        assertThat(eval("network.sourceAddress.inCidr(['192.168.0.0/16', '10.0.0.0/8'])", ciRunner())).isTrue();
        assertThat(eval("network.sourceAddress.inCidr(client.attributes['mintgate.allowed-cidrs'].splitList())",
                from("2001:db8:1::5"))).isTrue();
        assertThat(eval("network.sourceAddress.inCidr([])", ciRunner())).isFalse();
    }

    @Test
    void aMalformedCidrIsAnEvaluationErrorNotASilentMismatch() {
        assertThatThrownBy(() -> eval("network.sourceAddress.inCidr('10.0.0.0/33')", ciRunner()))
                .isInstanceOf(PolicyEvaluationException.class).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "deploy:*, deploy:prod, true",
            "deploy:*, deploy:, true",
            "deploy:*, read, false",
            "*, anything, true",
            "api?, api1, true",
            "api?, api12, false",
            "https://*.acme.com/*, https://billing.acme.com/v1, true",
            "a*b*c, aXXbYYc, true",
            "a*b*c, aXXbYY, false",
            "exact, exact, true"})
    void globMatchSupportsStarAndQuestionMark(String pattern, String value, boolean expected) {
        assertThat(Glob.matches(pattern, value)).isEqualTo(expected);
        assertThat(eval("globMatch('" + pattern + "', '" + value + "')", ciRunner())).isEqualTo(expected);
    }

    @Test
    void globMatchAgainstAListMatchesAny() {
        assertThat(eval("globMatch(['read', 'deploy:*'], 'deploy:prod')", ciRunner())).isTrue();
        assertThat(eval("globMatch(['read'], 'write')", ciRunner())).isFalse();
    }

    @Test
    void allGlobMatchRequiresEveryRequestedValueToBeAllowed() {
        assertThat(eval("allGlobMatch(grant.scopes, ['read', 'dep*'])", ciRunner())).isTrue();
        assertThat(eval("allGlobMatch(grant.scopes, ['read'])", ciRunner())).isFalse();
        assertThat(eval("allGlobMatch([], ['read'])", ciRunner())).as("nothing requested, nothing outside").isTrue();
    }

    @Test
    void globMatchingHasNoCatastrophicBacktracking() {
        String value = "a".repeat(5_000) + "b";
        long start = System.nanoTime();
        assertThat(Glob.matches("*a*a*a*a*a*a*a*a*c", value)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void splitListGivesTheSameItemsForTheSameTextAndNewItemsForAChangedOne() {
        String attribute = new String("read, write");
        assertThat(eval("client.attributes['scopes'].splitList() == ['read', 'write']", withScopesAttribute(attribute))).isTrue();
        assertThat(eval("client.attributes['scopes'].splitList() == ['read', 'write']", withScopesAttribute(attribute))).isTrue();
        // An edited client attribute is another String: never the list remembered for the old one.
        assertThat(eval("client.attributes['scopes'].splitList() == ['deploy']", withScopesAttribute(new String("deploy")))).isTrue();
        assertThat(eval("client.attributes['scopes'].splitList() == ['read', 'write']", withScopesAttribute(new String("read, write")))).isTrue();
    }

    private static IssuanceRequest withScopesAttribute(String scopes) {
        ClientInfo base = ciRunner().client();
        java.util.Map<String, String> attributes = new java.util.HashMap<>(base.attributes());
        attributes.put("scopes", scopes);
        return Requests.with(ciRunner(), new ClientInfo(base.id(), base.clientId(), base.authMethod(),
                base.publicClient(), attributes, base.roles(), base.scopes()));
    }

    @Test
    void splitListSplitsOnCommasAndWhitespace() {
        assertThat(eval("' read, write  deploy:* ,,'.splitList() == ['read', 'write', 'deploy:*']", ciRunner())).isTrue();
        assertThat(eval("''.splitList() == []", ciRunner())).isTrue();
    }

    @Test
    void withinHoursUsesTheGivenTimeZone() {
        // 09:00 UTC is 10:00 in Paris and 04:00 in New York.
        assertThat(eval("withinHours(now, 'Europe/Paris', 8, 18)", ciRunner())).isTrue();
        assertThat(eval("withinHours(now, 'America/New_York', 8, 18)", ciRunner())).isFalse();
        assertThat(eval("withinHours(now, 'UTC', 9, 10)", ciRunner())).as("start inclusive").isTrue();
        assertThat(eval("withinHours(now, 'UTC', 8, 9)", ciRunner())).as("end exclusive").isFalse();
    }

    @Test
    void withinHoursWrapsAroundMidnight() {
        IssuanceRequest night = Requests.at(ciRunner(), Instant.parse("2025-03-04T23:30:00Z"));
        assertThat(eval("withinHours(now, 'UTC', 22, 6)", night)).isTrue();
        assertThat(eval("withinHours(now, 'UTC', 22, 6)", ciRunner())).isFalse();
    }

    @Test
    void isWeekdayIsFalseOnTheWeekendInTheGivenZone() {
        assertThat(eval("isWeekday(now, 'Europe/Paris')", ciRunner())).isTrue();
        // Friday 23:30 UTC is already Saturday in Tokyo.
        IssuanceRequest fridayNight = Requests.at(ciRunner(), Instant.parse("2025-03-07T23:30:00Z"));
        assertThat(eval("isWeekday(now, 'UTC')", fridayNight)).isTrue();
        assertThat(eval("isWeekday(now, 'Asia/Tokyo')", fridayNight)).isFalse();
    }

    @Test
    void anUnknownTimeZoneIsAnEvaluationError() {
        assertThatThrownBy(() -> eval("isWeekday(now, 'Mars/Olympus')", ciRunner()))
                .isInstanceOf(PolicyEvaluationException.class);
    }

    @Test
    void standardCelExtensionsAreAvailable() {
        assertThat(eval("'a,b'.split(',').size() == 2 && 'X'.lowerAscii() == 'x'", ciRunner())).isTrue();
        assertThat(eval("now.getDayOfWeek('Europe/Paris') == 2", ciRunner())).isTrue();
        assertThat(eval("workload.claims.?missing.orValue('none') == 'none'", ciRunner())).isTrue();
    }
}
