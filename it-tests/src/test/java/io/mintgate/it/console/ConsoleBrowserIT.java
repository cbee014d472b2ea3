package io.mintgate.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import io.mintgate.it.harness.AdminApi;
import io.mintgate.it.harness.KeycloakRuntime;
import io.mintgate.it.harness.MintgateIT;
import io.mintgate.it.harness.OidcClient;
import io.mintgate.it.harness.RealmFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Mintgate's console page driven in a real headless Chromium against the real Keycloak: an admin of the master realm
 * signs in to Keycloak's admin console, opens the page without a second login, and does what the page is for. Each
 * step leaves a screenshot under {@code target/console-screenshots/} (and one named {@code *-FAILED} when it fails);
 * docs/console.md shows them. Every outcome is checked against what the server then holds (admin REST) or what a
 * real token request answered.
 */
@MintgateIT
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final Pattern DECISION = Pattern.compile("decision: ([A-Za-z0-9._:-]+)\\)");

    private KeycloakRuntime keycloak;
    private AdminApi admin;
    private RealmFixture realm;
    private ConsoleBrowser browser;
    private String adminUserId;
    private String consoleClientId;
    private final String adminName = "console-admin-" + UUID.randomUUID().toString().substring(0, 6);
    private final String adminPassword = UUID.randomUUID().toString();
    private final String danaPassword = UUID.randomUUID().toString();

    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            browser.screenshot(context.getRequiredTestMethod().getName() + "-FAILED");
        }
    };

    @BeforeAll
    void setUp(AdminApi admin, KeycloakRuntime keycloak) {
        this.admin = admin;
        this.keycloak = keycloak;
        this.realm = RealmFixture.create(admin, "console.json");
        // A person who administers every realm from the master realm, as the bootstrap admin user would.
        admin.post("/admin/realms/master/users", Map.of("username", adminName, "enabled", true,
                "email", adminName + "@example.com", "firstName", "Console", "lastName", "Admin",
                "credentials", List.of(Map.of("type", "password", "value", adminPassword, "temporary", false))))
                .expect(201);
        adminUserId = admin.userId("master", adminName);
        JsonNode adminRole = admin.get("/admin/realms/master/roles/admin").expect(200).json();
        admin.post("/admin/realms/master/users/" + adminUserId + "/role-mappings/realm", List.of(adminRole)).expect(204);
        consoleClientId = createConsoleClient();
        browser = ConsoleBrowser.start(Path.of("target", "console-screenshots"));
    }

    /** The public client of docs/console.md, exactly as documented there (kcadm's create, as JSON). */
    private String createConsoleClient() {
        String page = keycloak.baseUri() + "/realms/master/mintgate-console/";
        AdminApi.Response existing = admin.get("/admin/realms/master/clients?clientId=mintgate-console").expect(200);
        for (JsonNode left : existing.json()) {
            // left by an interrupted earlier run, with that run's port in its redirect URI
            admin.delete("/admin/realms/master/clients/" + left.path("id").asText()).expect(204);
        }
        admin.post("/admin/realms/master/clients", Map.ofEntries(Map.entry("clientId", "mintgate-console"),
                Map.entry("name", "Mintgate console"), Map.entry("baseUrl", page), Map.entry("publicClient", true),
                Map.entry("standardFlowEnabled", true), Map.entry("implicitFlowEnabled", false),
                Map.entry("directAccessGrantsEnabled", false), Map.entry("serviceAccountsEnabled", false),
                Map.entry("fullScopeAllowed", true), Map.entry("redirectUris", List.of(page)),
                Map.entry("webOrigins", List.of("+")), Map.entry("attributes", Map.of(
                        "pkce.code.challenge.method", "S256", "post.logout.redirect.uris", page))))
                .expect(201);
        return admin.clientUuid("master", "mintgate-console");
    }

    @AfterAll
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
        if (consoleClientId != null) {
            admin.delete("/admin/realms/master/clients/" + consoleClientId);
        }
        if (adminUserId != null) {
            admin.delete("/admin/realms/master/users/" + adminUserId);
        }
        realm.close();
    }

    private String page() {
        return keycloak.baseUri() + "/realms/master/mintgate-console/";
    }

    /** Opens a view of the page on the test realm: a new page load, signed in again through the session. */
    private void go(String view) {
        browser.open(page() + "?realm=" + realm.name() + "#" + view);
    }

    @Test
    @Order(1)
    void theAdminSignsInToKeycloaksConsoleAndOpensMintgateWithoutASecondLogin() {
        browser.open(keycloak.baseUri() + "/admin/master/console/");
        browser.type(By.id("username"), adminName);
        browser.type(By.id("password"), adminPassword);
        browser.await(By.id("kc-login")).click();
        browser.await(By.linkText("Clients"));
        browser.screenshot("00-keycloak-admin-console");

        browser.open(page() + "?realm=" + realm.name() + "#policies");
        WebElement who = browser.until(d -> {
            var found = d.findElements(By.id("who"));
            return !found.isEmpty() && found.get(0).getText().contains(adminName) ? found.get(0) : null;
        });
        assertThat(who.getText()).isEqualTo(adminName + " @ master");
        // The single sign-on session answered: no login form was shown for the page.
        assertThat(browser.driver.findElements(By.id("password"))).isEmpty();
        assertThat(browser.driver.getCurrentUrl()).doesNotContain("code=").startsWith(page());
        assertThat(browser.await(By.id("realm")).getAttribute("value")).isEqualTo(realm.name());
        browser.await(By.id("policy-text"));
        browser.screenshot("02-policies");
    }

    @Test
    @Order(2)
    void aPolicyWithAnErrorIsShownAtItsRuleLineAndColumnAndNothingIsSaved() {
        String before = currentVersion();
        go("policies/ci-policy");
        WebElement text = browser.await(By.id("policy-text"));
        String broken = """
                {
                  "rules": [
                    {
                      "name": "no-agents",
                      "reason": "agents_blocked",
                      "message": "AI agents get no tokens here",
                      "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'",
                      "deny": "client.id != '' && nosuch.field"
                    }
                  ]
                }
                """;
        browser.setText(text, broken);
        browser.await(By.id("save-policy")).click();
        WebElement problems = browser.await(By.id("policy-problems"));
        WebElement problem = problems.findElement(By.cssSelector("li.problem"));
        assertThat(problem.getAttribute("data-rule")).isEqualTo("no-agents");
        assertThat(problem.getAttribute("data-field")).isEqualTo("rules[0].deny");
        int line = Integer.parseInt(problem.getAttribute("data-line"));
        int column = Integer.parseInt(problem.getAttribute("data-column"));
        assertThat(line).isEqualTo(8);
        assertThat(broken.split("\n")[line - 1].substring(column - 1)).startsWith("nosuch.field");
        assertThat(problem.getText()).contains("line 8, column " + column).contains("rule no-agents");
        // the gutter marks the line, with the message as its title
        WebElement marked = browser.await(By.cssSelector(".gutter div.error[data-line='8']"));
        assertThat(marked.getAttribute("title")).contains("no-agents");
        browser.screenshot("03-policy-error-at-rule");
        assertThat(currentVersion()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aPolicyWithTestsIsSavedWithItsResultsAndCanBeDiffedAndRolledBack() {
        String original = currentVersion();
        go("policies/ci-policy");
        String withTests = """
                {
                  "rules": [
                    {
                      "name": "no-agents",
                      "reason": "agents_blocked",
                      "message": "AI agents get no tokens here",
                      "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'",
                      "deny": "true"
                    },
                    {
                      "name": "owner-active",
                      "reason": "owner_inactive",
                      "match": "nhi.present",
                      "allowIf": "nhi.ownerExists && nhi.ownerEnabled"
                    }
                  ],
                  "tests": [
                    {"name": "agents are refused",
                     "request": {"client": {"clientId": "bot", "attributes": {"mintgate.kind": "ai-agent"}}, "grant": {"type": "client_credentials"}},
                     "expect": {"outcome": "deny", "reason": "agents_blocked", "rule": "no-agents"}}
                  ]
                }
                """;
        browser.setText(browser.await(By.id("policy-text")), withTests);
        browser.await(By.id("save-policy")).click();
        WebElement saved = browser.await(By.id("saved"));
        String version = saved.findElement(By.tagName("code")).getText();
        assertThat(version).isEqualTo(currentVersion()).isNotEqualTo(original);
        WebElement results = browser.await(By.id("test-results"));
        assertThat(results.getText()).contains("agents are refused").contains("passed");
        WebElement versions = browser.until(d -> {
            var rows = d.findElements(By.cssSelector("#versions-table tr"));
            return rows.size() >= 3 ? d.findElement(By.id("versions-table")) : null;
        });
        versions.findElement(By.cssSelector("button.diff")).click();
        WebElement diff = browser.await(By.cssSelector("#diff pre.diff"));
        assertThat(diff.getText()).contains("+  \"tests\": [");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("arguments[0].scrollIntoView(false)", diff);
        browser.screenshot("04-policy-saved-tests-versions-diff");

        versions.findElement(By.cssSelector("button.rollback")).click();
        browser.driver.switchTo().alert().accept();
        browser.until(d -> original.equals(currentVersion()) ? true : null);
        browser.await(By.id("versions-table"));
        assertThat(admin.get(realm.path() + "/mintgate/policies/ci-policy").expect(200).json().path("policy").asText())
                .doesNotContain("\"tests\"");
    }

    @Test
    @Order(4)
    void theSimulatorShowsARefusalWithItsRuleAndReason() {
        go("simulator");
        browser.type(By.name("clientId"), "rogue-agent");
        browser.await(By.id("simulate")).click();
        WebElement outcome = browser.await(By.id("simulation-outcome"));
        assertThat(outcome.getText()).contains("Refused").contains("agents_blocked").contains("no-agents")
                .contains("AI agents get no tokens here");
        // the trace names the refusing rule; the full JSON answer is kept, folded
        assertThat(browser.await(By.cssSelector("table.trace tr[data-rule='no-agents']")).getAttribute("data-result"))
                .isEqualTo("denied");
        assertThat(browser.await(By.id("simulation-json")).getAttribute("textContent"))
                .contains("Full answer").contains("\"outcome\": \"deny\"");
        scrollTo(outcome);
        browser.screenshot("05-simulator-refusal");
    }

    @Test
    @Order(5)
    void aRefusalIsFoundByTheDecisionIdTheClientQuotes() {
        TokenResponse refused = new OidcClient(keycloak, realm.name()).clientCredentials("rogue-agent", "rogue-agent-secret", null);
        assertThat(refused.indicatesSuccess()).isFalse();
        String description = ((TokenErrorResponse) refused).getErrorObject().getDescription();
        Matcher m = DECISION.matcher(description);
        assertThat(m.find()).as(description).isTrue();
        String decisionId = m.group(1);

        go("decisions");
        WebElement row = browser.until(d -> {
            var field = d.findElements(By.name("decisionId"));
            if (field.isEmpty()) {
                return null;
            }
            browser.setText(field.get(0), decisionId);
            d.findElement(By.id("search-decisions")).click();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            var rows = d.findElements(By.cssSelector("#decisions-table tr[data-decision='" + decisionId + "']"));
            return rows.isEmpty() ? null : rows.get(0);
        });
        assertThat(row.getText()).contains("rogue-agent").contains("no-agents").contains("agents_blocked").contains("deny");
        assertThat(browser.driver.findElements(By.cssSelector("#decisions-table tr[data-decision]"))).hasSize(1);
        browser.screenshot("06-decision-by-id");
    }

    @Test
    @Order(6)
    void theInventoryFlagsAnUncoveredPath() {
        go("inventory");
        WebElement uncovered = browser.await(By.cssSelector(
                "#inventory-table tr[data-client='web-portal'][data-path='authorization_code']"));
        assertThat(uncovered.getAttribute("data-coverage")).isEqualTo("uncovered");
        assertThat(uncovered.getAttribute("class")).contains("flag");
        WebElement covered = browser.await(By.cssSelector(
                "#inventory-table tr[data-client='ci-runner'][data-path='client_credentials']"));
        assertThat(covered.getAttribute("data-coverage")).isEqualTo("covered");
        browser.screenshot("07-inventory-uncovered");
    }

    @Test
    @Order(7)
    void anAdminSetsAClientsOwnerWithTheUserPicker() {
        go("identities/ci-runner");
        WebElement owner = browser.await(By.cssSelector("#identity-form input[name='owner']"));
        owner.clear();
        owner.sendKeys("car");
        browser.await(By.cssSelector("#identity-form .user-option[data-username='carol']")).click();
        browser.await(By.id("save-identity")).click();
        browser.await(By.id("identity-saved"));
        String carol = admin.userId(realm.name(), "carol");
        JsonNode client = admin.get(realm.path() + "/clients/" + admin.clientUuid(realm.name(), "ci-runner")).expect(200).json();
        assertThat(client.at("/attributes/mintgate.owner").asText()).isEqualTo(carol);
        browser.screenshot("08-identity-owner");
    }

    @Test
    @Order(8)
    void creatingAClientWithTheControlsOnCollectsTheOwnerAndShowsTheControlsRefusalAtItsField() {
        go("identities");
        browser.type(By.cssSelector("#create-identity input[name='clientId']"), "nightly-backup");
        browser.type(By.cssSelector("#create-identity input[name='purpose']"), "nightly database backup");
        browser.await(By.id("create-client")).click();
        WebElement error = browser.await(By.cssSelector("#create-identity [data-attribute='mintgate.owner'] .field-error"));
        assertThat(error.getText()).isEqualTo("attributes.mintgate.owner: required (the user who owns this identity)");
        assertThat(admin.get(realm.path() + "/clients?clientId=nightly-backup").expect(200).json()).isEmpty();
        browser.screenshot("09-create-identity-refused");

        WebElement owner = browser.await(By.cssSelector("#create-identity input[name='owner']"));
        owner.sendKeys("ali");
        browser.await(By.cssSelector("#create-identity .user-option[data-username='alice']")).click();
        browser.await(By.id("create-client")).click();
        browser.until(d -> d.getCurrentUrl().endsWith("#identities/nightly-backup") ? true : null);
        browser.await(By.id("identity-form"));
        JsonNode created = admin.get(realm.path() + "/clients?clientId=nightly-backup").expect(200).json();
        assertThat(created).hasSize(1);
        assertThat(created.get(0).at("/attributes/mintgate.owner").asText()).isEqualTo(admin.userId(realm.name(), "alice"));
        assertThat(created.get(0).at("/attributes/mintgate.purpose").asText()).isEqualTo("nightly database backup");
        browser.screenshot("10-create-identity-created");
    }

    @Test
    @Order(9)
    void beforeDisablingAUserTheAdminSeesTheIdentitiesTheyOwn() {
        go("identities");
        WebElement user = browser.await(By.cssSelector("input[name='ownedBy']"));
        user.sendKeys("ali");
        browser.await(By.cssSelector(".user-option[data-username='alice']")).click();
        WebElement onDisable = browser.await(By.id("on-disable"));
        assertThat(onDisable.getText()).contains("Before disabling this user").contains("refused");
        String owned = browser.await(By.id("owned")).getText();
        assertThat(owned).contains("rogue-agent").contains("nightly-backup").doesNotContain("ci-runner");
        browser.screenshot("11-owned-identities");
    }

    @Test
    @Order(10)
    void beforeDisablingAUserTheAdminSeesPerIdentityWhatTheLivePathWouldThenRefuse() {
        go("identities");
        browser.await(By.cssSelector("input[name='ownedBy']")).sendKeys("ali");
        browser.await(By.cssSelector(".user-option[data-username='alice']")).click();
        // nightly-backup (created by the page, owner alice) is allowed today and refused by the owner rule once
        // alice is disabled; rogue-agent is refused today already, by the agents rule
        WebElement backup = browser.await(By.cssSelector("#disable-impact-table tr[data-client='nightly-backup']"));
        assertThat(backup.getAttribute("data-effect")).isEqualTo("refused");
        assertThat(backup.getAttribute("data-rule")).isEqualTo("owner-active");
        assertThat(backup.getAttribute("data-reason")).isEqualTo("owner_inactive");
        assertThat(backup.getText()).contains("allowed").contains("refused").contains("owner_inactive");
        WebElement agent = browser.await(By.cssSelector("#disable-impact-table tr[data-client='rogue-agent']"));
        assertThat(agent.getAttribute("data-effect")).isEqualTo("already refused");
        assertThat(agent.getAttribute("data-rule")).isEqualTo("no-agents");
        assertThat(browser.await(By.id("disable-impact-totals")).getText())
                .startsWith("1 identity refused, 1 already refused, 0 still allowed, 0 not evaluated")
                .contains("not revoked");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("arguments[0].scrollIntoView(false)",
                browser.await(By.id("disable-impact-table")));
        browser.screenshot("12-disable-impact");

        // what the page said is what the live path then does: alice disabled, nightly-backup's real token request
        // is refused by that rule, and allowed again once she is enabled
        String alice = admin.userId(realm.name(), "alice");
        String backupId = admin.clientUuid(realm.name(), "nightly-backup");
        String secret = admin.get(realm.path() + "/clients/" + backupId + "/client-secret").expect(200).json().path("value").asText();
        OidcClient oidc = new OidcClient(keycloak, realm.name());
        assertThat(oidc.clientCredentials("nightly-backup", secret, null).indicatesSuccess()).isTrue();
        admin.put(realm.path() + "/users/" + alice, Map.of("enabled", false)).expect(204);
        try {
            TokenResponse refused = oidc.clientCredentials("nightly-backup", secret, null);
            assertThat(refused.indicatesSuccess()).isFalse();
            assertThat(((TokenErrorResponse) refused).getErrorObject().getDescription()).contains("owner_inactive");
        } finally {
            admin.put(realm.path() + "/users/" + alice, Map.of("enabled", true)).expect(204);
        }
        JsonNode impact = admin.get(realm.path() + "/mintgate/owners/" + alice + "/disable-impact").expect(200).json();
        assertThat(impact.at("/totals/refused").asInt()).isEqualTo(1);
        assertThat(impact.path("identities")).anySatisfy(i -> {
            assertThat(i.path("clientId").asText()).isEqualTo("nightly-backup");
            assertThat(i.at("/now/outcome").asText()).isEqualTo("allow");
            assertThat(i.at("/ifDisabled/reason").asText()).isEqualTo("owner_inactive");
        });
    }

    @Test
    @Order(11)
    void theReplayReportIsShownAsTablesWithItsCountsAndLinksToTheDecisions() {
        // known traffic: three tokens of ci-runner (owner carol, allowed by the realm's policy)
        OidcClient oidc = new OidcClient(keycloak, realm.name());
        for (int i = 0; i < 3; i++) {
            assertThat(oidc.clientCredentials("ci-runner", "ci-runner-secret", null).indicatesSuccess()).isTrue();
        }
        String draft = """
                {"rules": [
                  {"name": "no-agents", "reason": "agents_blocked", "message": "AI agents get no tokens here",
                   "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'", "deny": "true"},
                  {"name": "ci-paused", "reason": "ci_paused", "match": "client.clientId == 'ci-runner'", "deny": "true"}
                ]}""";
        // the audit file is written behind the token path: wait until the node's trail holds the three
        JsonNode report = browser.until(d -> {
            JsonNode r = admin.post(realm.path() + "/mintgate/replay", Map.of("policy", draft)).expect(200).json();
            return r.at("/byClient/ci-runner/allowToDeny").asInt() >= 3 ? r : null;
        });
        assertThat(report.at("/byClient/ci-runner/allowToDeny").asInt()).isEqualTo(3);

        go("policies/ci-policy");
        browser.setText(browser.await(By.id("policy-text")), draft);
        go("simulator");
        browser.await(By.xpath("//button[normalize-space()='Replay recorded decisions against the draft']")).click();
        WebElement byClient = browser.await(By.cssSelector("#replay-by-client tr[data-client='ci-runner']"));
        assertThat(byClient.findElements(By.cssSelector("td.count")).get(0).getText()).isEqualTo("3");
        WebElement byRule = browser.await(By.cssSelector("#replay-by-rule tr[data-rule='ci-paused']"));
        assertThat(byRule.findElements(By.cssSelector("td.count")).get(0).getText()).isEqualTo("3");
        WebElement allowToDeny = browser.await(By.cssSelector("#replay-totals tr[data-bucket='allowToDeny']"));
        assertThat(allowToDeny.findElement(By.cssSelector("td.count")).getText())
                .isEqualTo(report.at("/allowToDeny/count").asText());
        List<WebElement> examples = allowToDeny.findElements(By.cssSelector("a.decision-link"));
        assertThat(examples).extracting(a -> a.getAttribute("data-decision"))
                .containsExactlyElementsOf(texts(report.at("/allowToDeny/examples")));
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("arguments[0].scrollIntoView(false)",
                browser.await(By.id("replay-by-client")));
        browser.screenshot("13-replay-report");

        // an example decision id opens the decision search on that decision (an allowed one, then)
        String example = examples.get(0).getAttribute("data-decision");
        examples.get(0).click();
        WebElement row = browser.await(By.cssSelector("#decisions-table tr[data-decision='" + example + "']"));
        assertThat(row.getText()).contains("ci-runner").contains("allow");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    @Order(12)
    void keycloaksOwnCreateClientWizardWithTheControlsOnMakesTheCreatingRealmAdminTheOwner() {
        // an admin who is a user of the realm itself (realm-management's realm-admin), in Keycloak's own console
        admin.post(realm.path() + "/users", Map.of("username", "dana", "enabled", true, "email", "dana@example.com",
                "firstName", "Dana", "lastName", "Realmadmin", "credentials",
                List.of(Map.of("type", "password", "value", danaPassword, "temporary", false)))).expect(201);
        String dana = admin.userId(realm.name(), "dana");
        String management = admin.clientUuid(realm.name(), "realm-management");
        JsonNode realmAdmin = admin.get(realm.path() + "/clients/" + management + "/roles/realm-admin").expect(200).json();
        admin.post(realm.path() + "/users/" + dana + "/role-mappings/clients/" + management, List.of(realmAdmin)).expect(204);

        browser.open(keycloak.baseUri() + "/admin/" + realm.name() + "/console/");
        browser.type(By.id("username"), "dana");
        browser.type(By.id("password"), danaPassword);
        browser.await(By.id("kc-login")).click();
        browser.await(By.linkText("Clients"));
        browser.open(keycloak.baseUri() + "/admin/" + realm.name() + "/console/#/" + realm.name() + "/clients/add-client");
        browser.type(By.id("clientId"), "invoice-export");
        browser.type(By.id("description"), "exports invoices to the ledger nightly");
        browser.screenshot("14-keycloak-wizard-general");
        next();
        // a confidential client with a service account, no browser flow: what a non-human identity is
        click(By.id("kc-authentication"));
        click(By.id("kc-flow-service-account"));
        click(By.id("kc-flow-standard"));
        next();
        browser.await(By.xpath("//footer//button[normalize-space()='Save'] | //button[normalize-space()='Save']")).click();
        browser.until(d -> d.getCurrentUrl().contains("/clients/") && d.getCurrentUrl().endsWith("/settings") ? true : null);
        browser.screenshot("15-keycloak-wizard-created");

        JsonNode created = admin.get(realm.path() + "/clients?clientId=invoice-export").expect(200).json();
        assertThat(created).hasSize(1);
        assertThat(created.get(0).at("/attributes/mintgate.owner").asText()).isEqualTo(dana);
        assertThat(created.get(0).at("/attributes/mintgate.purpose").asText()).isEqualTo("exports invoices to the ledger nightly");
        assertThat(created.get(0).path("serviceAccountsEnabled").asBoolean()).isTrue();
        // and it is dana's to answer for: the page lists it under her
        JsonNode owned = admin.get(realm.path() + "/mintgate/owners/" + dana).expect(200).json();
        assertThat(owned.path("identities")).extracting(n -> n.path("clientId").asText()).containsExactly("invoice-export");
    }

    @Test
    @Order(13)
    void anAdminOfAnotherRealmIsToldInTheWizardWhatToDo() {
        // console-admin signs in to master: not a user of the realm, so not an owner it may have
        browser.open("about:blank");
        browser.open(keycloak.baseUri() + "/admin/master/console/#/" + realm.name() + "/clients/add-client");
        browser.type(By.id("clientId"), "wizard-orphan");
        browser.type(By.id("description"), "would have no owner");
        next();
        next();
        browser.await(By.xpath("//footer//button[normalize-space()='Save'] | //button[normalize-space()='Save']")).click();
        // Keycloak's alert: its title names the OAuth error, its description is the controls' error_description
        WebElement alert = browser.until(d -> d.findElements(By.cssSelector("[class*='c-alert__description']")).stream()
                .filter(a -> a.getText().contains("attributes.mintgate.owner")).findFirst().orElse(null));
        assertThat(browser.driver.findElements(By.cssSelector("[class*='c-alert__title']")))
                .anySatisfy(t -> assertThat(t.getText()).contains("Could not create client"));
        assertThat(alert.getText()).contains("attributes.mintgate.owner: required (the user who owns this identity)")
                .contains("you sign in to realm master, so you cannot own an identity of realm " + realm.name())
                .contains("/realms/master/mintgate-console/?realm=" + realm.name() + "#identities");
        browser.screenshot("16-keycloak-wizard-refused-with-what-to-do");
        assertThat(admin.get(realm.path() + "/clients?clientId=wizard-orphan").expect(200).json()).isEmpty();
    }

    @Test
    @Order(14)
    void aScriptOfARealmAdminGetsTheSameDefaultsAndTheControlsCanSwitchThemOff() throws Exception {
        // dana (a realm admin since the wizard step) through the admin REST API with her own token, as kcadm would
        TokenResponse signedIn = new OidcClient(keycloak, realm.name()).tokenWithForm(Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", "dana", "password", danaPassword));
        String token = signedIn.toSuccessResponse().getTokens().getAccessToken().getValue();
        String dana = admin.userId(realm.name(), "dana");
        java.net.http.HttpResponse<String> created = createAs(token, "script-made", "made by a script");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode client = admin.get(realm.path() + "/clients?clientId=script-made").expect(200).json().get(0);
        assertThat(client.at("/attributes/mintgate.owner").asText()).isEqualTo(dana);
        assertThat(client.at("/attributes/mintgate.purpose").asText()).isEqualTo("made by a script");

        // creator-defaults off: the same creation is refused, naming both attributes (no wizard hint: not the console)
        JsonNode profiles = admin.get(realm.path() + "/client-policies/profiles").expect(200).json();
        com.fasterxml.jackson.databind.node.ObjectNode off = profiles.deepCopy();
        for (JsonNode profile : off.path("profiles")) {
            for (JsonNode executor : profile.path("executors")) {
                if ("nhi-issuance-controls".equals(executor.path("executor").asText())) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) executor.path("configuration")).put("creator-defaults", false);
                }
            }
        }
        admin.put(realm.path() + "/client-policies/profiles", off).expect(204);
        try {
            java.net.http.HttpResponse<String> refused = createAs(token, "script-made-2", "made by a script");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.body()).path("error_description").asText())
                    .isEqualTo("attributes.mintgate.owner: required (the user who owns this identity);"
                            + " attributes.mintgate.purpose: required (what this identity is for)");
            assertThat(admin.get(realm.path() + "/clients?clientId=script-made-2").expect(200).json()).isEmpty();
        } finally {
            admin.put(realm.path() + "/client-policies/profiles", profiles).expect(204);
        }
    }

    private java.net.http.HttpResponse<String> createAs(String token, String clientId, String description) throws Exception {
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("clientId", clientId,
                "description", description, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false));
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(keycloak.baseUri() + realm.path() + "/clients"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private void next() {
        browser.await(By.xpath("//button[normalize-space()='Next']")).click();
    }

    /**
     * PatternFly hides its switch inputs behind their labels (so Selenium sees them as not displayed): a script click
     * on the input, once it is enabled, is what a user's click on the label does.
     */
    private void click(By by) {
        WebElement input = browser.until(d -> {
            var found = d.findElements(by);
            return !found.isEmpty() && found.get(0).isEnabled() ? found.get(0) : null;
        });
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("arguments[0].click()", input);
    }

    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    private void chooseGrant(String grantType) {
        new org.openqa.selenium.support.ui.Select(browser.await(By.name("grantType"))).selectByValue(grantType);
    }

    private boolean shown(String field) {
        return browser.driver.findElement(By.cssSelector("#simulate-form .sim-field[data-field='" + field + "']")).isDisplayed();
    }

    private void scrollTo(WebElement element) {
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("arguments[0].scrollIntoView(true)", element);
    }

    @Test
    @Order(15)
    void theSimulatorFormAsksForWhatEachGrantNeedsAndShowsTheEndpointsRefusalAtItsField() {
        go("simulator");
        // the form offers every grant the endpoint answers, each with the members that apply to it
        List<String> grants = new org.openqa.selenium.support.ui.Select(browser.await(By.name("grantType"))).getOptions()
                .stream().map(o -> o.getAttribute("value")).toList();
        assertThat(grants).containsExactlyInAnyOrder("client_credentials", "password", "authorization_code",
                "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "urn:openid:params:grant-type:ciba",
                TOKEN_EXCHANGE, "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "urn:ietf:params:oauth:grant-type:uma-ticket", "urn:ietf:params:oauth:grant-type:pre-authorized_code");
        // the endpoint's own list of grants (its 400 for an unknown one) is the same
        String unknown = admin.post(realm.path() + "/mintgate/simulate", Map.of("clientId", "exchanger", "grantType", "nosuch"))
                .expect(400).body();
        grants.forEach(g -> assertThat(unknown).contains(g));
        assertThat(shown("serviceAccount")).isTrue();
        assertThat(shown("subject")).isFalse();
        chooseGrant("urn:ietf:params:oauth:grant-type:pre-authorized_code");
        assertThat(shown("credentialConfigurationId")).isTrue();
        assertThat(shown("scope")).isFalse();
        assertThat(shown("audience")).isFalse();
        chooseGrant(TOKEN_EXCHANGE);
        assertThat(shown("audience")).isTrue();
        assertThat(shown("requestedTokenType")).isTrue();
        assertThat(shown("actor")).isTrue();
        assertThat(shown("credentialConfigurationId")).isFalse();

        // UMA without its resource server: the endpoint's 400, shown at the field it names
        chooseGrant("urn:ietf:params:oauth:grant-type:uma-ticket");
        assertThat(shown("umaAudience")).isTrue();
        assertThat(shown("audience")).isFalse();
        browser.type(By.name("clientId"), "exchanger");
        browser.type(By.name("subject"), "alice");
        browser.await(By.id("simulate")).click();
        WebElement error = browser.await(By.cssSelector("#simulate-form .sim-field[data-field='umaAudience'] .field-error"));
        String expected = refusal(admin.post(realm.path() + "/mintgate/simulate", Map.of("clientId", "exchanger",
                "grantType", "urn:ietf:params:oauth:grant-type:uma-ticket", "subject", Map.of("username", "alice")))
                .expect(400).json());
        assertThat(expected).startsWith("audience: the resource server's client id is required");
        assertThat(error.getText()).isEqualTo(expected);
        // and near the form, where it stays
        WebElement panel = browser.await(By.id("simulation-error"));
        assertThat(panel.getAttribute("data-field")).isEqualTo("umaAudience");
        assertThat(panel.getText()).contains("HTTP 400").contains(expected);

        // a token exchange for a refresh token the client does not allow: the endpoint's refusal at that field
        chooseGrant(TOKEN_EXCHANGE);
        browser.type(By.name("audience"), "orders-api");
        new org.openqa.selenium.support.ui.Select(browser.await(By.name("requestedTokenType")))
                .selectByValue("urn:ietf:params:oauth:token-type:refresh_token");
        browser.await(By.id("simulate")).click();
        WebElement typeError = browser.await(By.cssSelector(
                "#simulate-form .sim-field[data-field='requestedTokenType'] .field-error"));
        assertThat(typeError.getText()).startsWith("requestedTokenType: Keycloak would refuse the exchange")
                .isEqualTo(refusal(admin.post(realm.path() + "/mintgate/simulate", Map.of("clientId", "exchanger",
                        "grantType", TOKEN_EXCHANGE, "subject", Map.of("username", "alice"), "audience", "orders-api",
                        "requestedTokenType", "urn:ietf:params:oauth:token-type:refresh_token"))
                        .expect(400).json()));
        browser.screenshot("17-simulator-field-error");
    }

    @Test
    @Order(16)
    void aTokenExchangeToARefusedAudienceShowsTheRuleAndReasonTheEndpointAnswers() {
        go("simulator");
        chooseGrant(TOKEN_EXCHANGE);
        browser.type(By.name("clientId"), "exchanger");
        browser.type(By.name("subject"), "alice");
        browser.type(By.name("audience"), "billing-api");
        browser.type(By.name("sourceAddress"), "10.1.2.3");
        browser.screenshot("17-simulator-form");
        browser.await(By.id("simulate")).click();
        WebElement outcome = browser.await(By.id("simulation-outcome"));

        JsonNode expected = admin.post(realm.path() + "/mintgate/simulate", Map.of("clientId", "exchanger",
                "grantType", TOKEN_EXCHANGE, "subject", Map.of("username", "alice"), "audience", "billing-api",
                "context", Map.of("network", Map.of("sourceAddress", "10.1.2.3")))).expect(200).json();
        assertThat(expected.path("outcome").asText()).isEqualTo("deny");
        assertThat(expected.path("rule").asText()).isEqualTo("no-billing-exchange");
        assertThat(outcome.getAttribute("data-outcome")).isEqualTo("deny");
        assertThat(outcome.getAttribute("data-rule")).isEqualTo(expected.path("rule").asText());
        assertThat(outcome.getAttribute("data-reason")).isEqualTo(expected.path("reason").asText());
        assertThat(outcome.getText()).contains("Refused").contains(expected.path("reason").asText())
                .contains(expected.path("message").asText()).contains(expected.path("policyVersion").asText());
        // the trace: the refusing rule with the condition that refused, the rules before it as they went
        WebElement denied = browser.await(By.cssSelector("table.trace tr[data-rule='no-billing-exchange']"));
        JsonNode trace = expected.at("/policies/0/trace");
        JsonNode deniedEntry = null;
        for (JsonNode t : trace) {
            if (t.path("rule").asText().equals("no-billing-exchange")) {
                deniedEntry = t;
            }
        }
        assertThat(deniedEntry).isNotNull();
        assertThat(denied.getAttribute("data-result")).isEqualTo(deniedEntry.path("result").asText()).isEqualTo("denied");
        assertThat(denied.getText()).contains(deniedEntry.at("/failed/field").asText())
                .contains(deniedEntry.at("/failed/expression").asText());
        assertThat(browser.driver.findElements(By.cssSelector("table.trace tr[data-rule]"))).hasSize(trace.size());
        // the facts the decision used: the grant with the exchange's audience, the stated source address
        assertThat(browser.await(By.id("simulation-facts")).getText()).contains(TOKEN_EXCHANGE).contains("billing-api")
                .contains(expected.at("/context/event").asText());
        scrollTo(outcome);
        browser.screenshot("18-simulator-token-exchange-refused");
    }

    @Test
    @Order(17)
    void aDeviceGrantShowsTheTokenTheEndpointSaysWouldBeMinted() {
        go("simulator");
        chooseGrant("urn:ietf:params:oauth:grant-type:device_code");
        browser.type(By.name("clientId"), "tv-app");
        browser.type(By.name("subject"), "alice");
        browser.type(By.name("scope"), "openid");
        browser.await(By.id("simulate")).click();
        WebElement outcome = browser.await(By.id("simulation-outcome"));
        JsonNode expected = admin.post(realm.path() + "/mintgate/simulate", Map.of("clientId", "tv-app",
                "grantType", "urn:ietf:params:oauth:grant-type:device_code", "subject", Map.of("username", "alice"),
                "scope", "openid")).expect(200).json();
        assertThat(expected.path("outcome").asText()).isEqualTo("allow");
        assertThat(outcome.getAttribute("data-outcome")).isEqualTo("allow");
        JsonNode token = expected.path("token");
        assertThat(token.path("refreshToken").asBoolean()).isTrue();
        assertThat(cell("refreshTokenType")).isEqualTo(token.path("refreshTokenType").asText()).isEqualTo("Refresh");
        assertThat(cell("refreshTokenLifetime")).isEqualTo(token.path("refreshTokenLifetime").asText());
        assertThat(cell("accessTokenLifetime")).isEqualTo(token.path("accessTokenLifetime").asText());
        assertThat(cell("refreshToken")).isEqualTo("yes");
        assertThat(cell("scopes")).isEqualTo(String.join(" ", texts(token.path("scopes"))));
        assertThat(cell("audiences")).isEqualTo(String.join(" ", texts(token.path("audiences"))));
        assertThat(browser.await(By.id("simulation-facts")).getText()).contains("alice").contains("DEVICE_TOKEN_RESPONSE");
        scrollTo(browser.await(By.id("simulation-token")));
        browser.screenshot("19-simulator-device-token");
    }

    /** The message of the simulator's 400, in the member Keycloak's error handler puts it. */
    private static String refusal(JsonNode body) {
        for (String member : List.of("error_description", "errorMessage", "error")) {
            if (body.hasNonNull(member)) {
                return body.path(member).asText();
            }
        }
        throw new AssertionError("no error message in " + body);
    }

    private String cell(String member) {
        return browser.await(By.cssSelector("#simulation-token tr[data-member='" + member + "'] td.after")).getText();
    }

    @Test
    @Order(20)
    void theRestEquivalentsAnswerWhatThePageShows() {
        // a new stored policy through the save endpoint, then a refused save of it with the problem placed
        String good = "{\"rules\": [{\"name\": \"r\", \"reason\": \"x\", \"deny\": \"false\"}]}";
        AdminApi.Response created = admin.put(realm.path() + "/mintgate/policies/extra", Map.of("policy", good)).expect(201);
        assertThat(created.json().path("created").asBoolean()).isTrue();
        assertThat(admin.get(realm.path() + "/mintgate/policies/extra").expect(200).json().path("policy").asText()).isEqualTo(good);
        String bad = "{\"rules\": [\n  {\"name\": \"r\", \"reason\": \"x\",\n   \"deny\": \"1 + \\\"a\\\"\"}]}";
        JsonNode refused = admin.put(realm.path() + "/mintgate/policies/extra", Map.of("policy", bad)).expect(400).json();
        JsonNode problem = refused.path("problems").get(0);
        assertThat(problem.path("field").asText()).isEqualTo("rules[0].deny");
        assertThat(problem.path("rule").asText()).isEqualTo("r");
        assertThat(problem.path("documentLine").asInt()).isEqualTo(3);
        assertThat(refused.path("errorMessage").asText()).startsWith("Invalid issuance policy: rules[0].deny (rule 'r')");
        assertThat(admin.get(realm.path() + "/mintgate/policies/extra").expect(200).json().path("policy").asText()).isEqualTo(good);
        assertThat(admin.put(realm.path() + "/mintgate/policies/extra", Map.of()).expect(400).json()
                .at("/problems/0/field").asText()).isEqualTo("policy");

        // bad paging and outcomes of the decisions endpoint are 400s naming the parameter
        assertThat(admin.get(realm.path() + "/mintgate/decisions?max=0").status()).isEqualTo(400);
        assertThat(admin.get(realm.path() + "/mintgate/decisions?outcome=maybe").body()).contains("outcome");
        JsonNode refusals = admin.get(realm.path() + "/mintgate/decisions?clientId=rogue-agent&outcome=refused").expect(200).json();
        assertThat(refusals.path("eventsEnabled").asBoolean()).isTrue();
        assertThat(refusals.path("decisions")).isNotEmpty()
                .allSatisfy(d -> assertThat(d.path("reason").asText()).isEqualTo("agents_blocked"));

        // owners: an unknown user is a 404; a user who owns nothing is told so
        assertThat(admin.get(realm.path() + "/mintgate/owners/no-such-user").status()).isEqualTo(404);
        String carol = admin.userId(realm.name(), "carol");
        JsonNode owned = admin.get(realm.path() + "/mintgate/owners/" + carol).expect(200).json();
        assertThat(owned.path("identities")).extracting(n -> n.path("clientId").asText()).containsExactly("ci-runner");
        assertThat(owned.path("revokeOnDisable").asBoolean()).isFalse();
    }

    @Test
    @Order(21)
    void keycloaksConsoleLinksToThePageFromItsClientList() {
        // a fresh load of the console (from another document), straight onto the master realm's client list
        browser.open("about:blank");
        browser.open(keycloak.baseUri() + "/admin/master/console/#/master/clients");
        WebElement search = browser.await(By.cssSelector("input[placeholder*='earch']"));
        search.sendKeys("mintgate-console" + org.openqa.selenium.Keys.ENTER);
        WebElement link = browser.await(By.cssSelector("a[href='" + page() + "']"));
        assertThat(link.getText()).contains(page());
        browser.screenshot("01-keycloak-console-links-to-mintgate");
    }

    private String currentVersion() {
        return admin.get(realm.path() + "/mintgate/policies/ci-policy").expect(200).json().path("version").asText();
    }
}
