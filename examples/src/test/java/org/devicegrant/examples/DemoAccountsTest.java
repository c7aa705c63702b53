package org.devicegrant.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoAccountsTest {

    private final DemoAccounts accounts = DemoAccounts.standard();

    @Test
    void authenticateWhenUsernameAndPasswordMatchThenAccount() {
        assertThat(accounts.authenticate("alice", "alice")).hasValueSatisfying(a -> {
            assertThat(a.username()).isEqualTo("alice");
            assertThat(a.email()).isEqualTo("alice@example.com");
        });
        assertThat(accounts.authenticate("bob", "bob")).isPresent();
    }

    @Test
    void authenticateWhenPasswordWrongOrUserUnknownOrNullThenEmpty() {
        assertThat(accounts.authenticate("alice", "bob")).isEmpty();
        assertThat(accounts.authenticate("alice", "Alice")).isEmpty();
        assertThat(accounts.authenticate("mallory", "mallory")).isEmpty();
        assertThat(accounts.authenticate(null, "alice")).isEmpty();
        assertThat(accounts.authenticate("alice", null)).isEmpty();
    }

    @Test
    void usernamesWhenListedThenAliceAndBob() {
        assertThat(accounts.usernames()).containsExactly("alice", "bob");
        assertThat(accounts.find("bob")).isPresent();
        assertThat(accounts.find("carol")).isEmpty();
    }
}
