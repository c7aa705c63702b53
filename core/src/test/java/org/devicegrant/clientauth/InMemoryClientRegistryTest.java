package org.devicegrant.clientauth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryClientRegistryTest {

    private final OAuthClient tv = OAuthClient.builder("tv").build();
    private final OAuthClient otherTv = OAuthClient.builder("tv").name("Other TV").build();

    @Test
    void findWhenRegisteredThenReturnsClient() {
        InMemoryClientRegistry registry = InMemoryClientRegistry.builder().client("t1", tv).build();

        assertThat(registry.find("t1", "tv")).containsSame(tv);
    }

    @Test
    void findWhenUnknownIdThenEmpty() {
        InMemoryClientRegistry registry = InMemoryClientRegistry.builder().client("t1", tv).build();

        assertThat(registry.find("t1", "radio")).isEmpty();
    }

    @Test
    void findWhenOtherTenantThenEmpty() {
        InMemoryClientRegistry registry = InMemoryClientRegistry.builder().client("t1", tv).build();

        assertThat(registry.find("t2", "tv")).isEmpty();
    }

    @Test
    void findWhenSameIdInTwoTenantsThenEachTenantSeesItsOwn() {
        InMemoryClientRegistry registry = InMemoryClientRegistry.builder()
                .client("t1", tv)
                .client("t2", otherTv)
                .build();

        assertThat(registry.find("t1", "tv")).containsSame(tv);
        assertThat(registry.find("t2", "tv")).containsSame(otherTv);
    }

    @Test
    void findWhenNullArgumentsThenEmpty() {
        InMemoryClientRegistry registry = InMemoryClientRegistry.builder().client("t1", tv).build();

        assertThat(registry.find(null, "tv")).isEmpty();
        assertThat(registry.find("t1", null)).isEmpty();
    }

    @Test
    void clientWhenSameTenantAndIdTwiceThenRejected() {
        InMemoryClientRegistry.Builder builder = InMemoryClientRegistry.builder().client("t1", tv);

        assertThatThrownBy(() -> builder.client("t1", otherTv))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("client tv of tenant t1 was already set");
    }

    @Test
    void clientWhenTenantEmptyThenRejected() {
        assertThatThrownBy(() -> InMemoryClientRegistry.builder().client("", tv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant");
    }

    @Test
    void builderWhenAddingAfterBuildThenBuiltRegistryUnchanged() {
        InMemoryClientRegistry.Builder builder = InMemoryClientRegistry.builder().client("t1", tv);
        InMemoryClientRegistry registry = builder.build();

        builder.client("t1", OAuthClient.builder("radio").build());

        assertThat(registry.find("t1", "radio")).isEmpty();
    }
}
