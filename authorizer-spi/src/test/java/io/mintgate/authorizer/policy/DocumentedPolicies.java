package io.mintgate.authorizer.policy;

/**
 * The example policies of docs/policy-reference.md, verbatim. DocumentedPoliciesTest checks that each one
 * still appears in the document, compiles, and decides as the document says.
 */
final class DocumentedPolicies {

    static final String CI_DEPLOY = """
            {
              "variables": [
                {"name": "isCiDeploy",
                 "expression": "client.attributes[?'mintgate.kind'].orValue('') == 'ci-runner' && 'deploy' in grant.scopes"}
              ],
              "rules": [
                {
                  "name": "ci-deploy-needs-approved-workload",
                  "match": "variables.isCiDeploy",
                  "allowIf": "workload.present && workload.issuer == 'https://token.actions.githubusercontent.com' && workload.claims[?'repository'].orValue('') == 'acme/app' && workload.claims[?'ref'].orValue('') == 'refs/heads/main' && workload.claims[?'environment'].orValue('') == 'production'",
                  "reason": "workload_mismatch",
                  "message": "Deployment tokens are only issued to the approved repository, branch and environment."
                }
              ]
            }
            """;

    static final String AI_AGENT_TOOLS = """
            {
              "rules": [
                {
                  "name": "agent-stays-within-approved-tools",
                  "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent'",
                  "allowIf": "allGlobMatch(grant.scopes + grant.audiences, client.attributes[?'mintgate.allowed-scopes'].orValue('').splitList())",
                  "reason": "outside_approved_tools",
                  "message": "This agent may only request its approved tools and APIs."
                }
              ]
            }
            """;

    static final String PARTNER_TENANT = """
            {
              "rules": [
                {
                  "name": "partner-own-tenant-only",
                  "match": "'mintgate.tenant' in client.attributes",
                  "allowIf": "organization.present && organization.alias == client.attributes['mintgate.tenant']",
                  "reason": "wrong_tenant",
                  "message": "Tokens are only issued for your own organization."
                }
              ]
            }
            """;

    static final String SERVICE_ACCOUNT_NETWORK = """
            {
              "rules": [
                {
                  "name": "service-account-refresh-from-expected-network",
                  "match": "grant.type == 'refresh_token' && subject.serviceAccount && 'mintgate.allowed-cidrs' in client.attributes",
                  "allowIf": "network.sourceAddress.inCidr(client.attributes['mintgate.allowed-cidrs'].splitList())",
                  "reason": "unexpected_network",
                  "message": "Refresh is not allowed from this network."
                }
              ]
            }
            """;

    static final String NHI_LIFECYCLE = """
            {
              "rules": [
                {
                  "name": "nhi-owner-must-be-active",
                  "match": "nhi.present",
                  "allowIf": "nhi.ownerExists && nhi.ownerEnabled",
                  "reason": "owner_inactive",
                  "message": "The owner of this identity is no longer active."
                },
                {
                  "name": "nhi-must-not-be-expired",
                  "match": "has(nhi.expiresAt)",
                  "deny": "nhi.expiresAt <= now",
                  "reason": "nhi_expired",
                  "message": "This identity has expired."
                }
              ]
            }
            """;

    static final String AGENT_BILLING_NARROWING = """
            {
              "rules": [
                {
                  "name": "agent-billing-api-is-read-only-and-short",
                  "match": "client.attributes[?'mintgate.kind'].orValue('') == 'ai-agent' && 'billing-api' in grant.audiences",
                  "allowIf": "true",
                  "reason": "billing_narrowing",
                  "obligations": {
                    "keepAudiences": "['billing-api']",
                    "keepScopes": "grant.scopes.filter(s, globMatch('billing:read*', s))",
                    "maxAccessTokenLifetime": "duration('5m')",
                    "refreshToken": "false"
                  }
                }
              ]
            }
            """;

    static final String CI_DEPLOY_LIFETIME = """
            {
              "rules": [
                {
                  "name": "ci-deploy-token-lives-as-long-as-the-job",
                  "match": "workload.present && 'deploy' in grant.scopes && has(workload.claims.exp)",
                  "allowIf": "true",
                  "reason": "ci_job_lifetime",
                  "obligations": {
                    "maxAccessTokenLifetime": "duration(string(int(workload.claims['exp']) - int(now)) + 's')",
                    "refreshToken": "false"
                  }
                }
              ]
            }
            """;

    private DocumentedPolicies() {
    }
}
