package org.devicegrant.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRevocationsTest {

    @Test
    void revokeWhenCalledThenRecordedInOrder() {
        DemoRevocations revocations = new DemoRevocations();

        revocations.revoke("acme", "alice", "id-1");
        revocations.revoke("default", "bob", "id-2");

        assertThat(revocations.revoked()).containsExactly(
                new DemoRevocations.Revocation("acme", "alice", "id-1"),
                new DemoRevocations.Revocation("default", "bob", "id-2"));
    }

    @Test
    void revokedWhenReadThenACopyThatLaterRevocationsDoNotChange() {
        DemoRevocations revocations = new DemoRevocations();
        revocations.revoke("acme", "alice", "id-1");

        var before = revocations.revoked();
        revocations.revoke("acme", "alice", "id-2");

        assertThat(before).hasSize(1);
        assertThat(revocations.revoked()).hasSize(2);
    }
}
