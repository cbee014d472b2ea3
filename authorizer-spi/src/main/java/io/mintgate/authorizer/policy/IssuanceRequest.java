package io.mintgate.authorizer.policy;

import java.time.Instant;

/** Everything a policy may look at when deciding whether a token may be minted. Nulls become NONE / empty. */
public record IssuanceRequest(String realm, Instant time, String event, Grant grant, ClientInfo client,
                              SubjectInfo subject, ActorInfo actor, NetworkInfo network, WorkloadInfo workload,
                              OrganizationInfo organization, NhiInfo nhi) {

    public IssuanceRequest {
        realm = Values.orEmpty(realm);
        time = time == null ? Instant.now() : time;
        event = Values.orEmpty(event);
        grant = grant == null ? Grant.NONE : grant;
        client = client == null ? ClientInfo.NONE : client;
        subject = subject == null ? SubjectInfo.NONE : subject;
        actor = actor == null ? ActorInfo.NONE : actor;
        network = network == null ? NetworkInfo.NONE : network;
        workload = workload == null ? WorkloadInfo.NONE : workload;
        organization = organization == null ? OrganizationInfo.NONE : organization;
        nhi = nhi == null ? NhiInfo.NONE : nhi;
    }
}
