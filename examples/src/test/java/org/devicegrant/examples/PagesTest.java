package org.devicegrant.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PagesTest {

    @Test
    void escapeWhenMarkupOrQuotesThenEntities() {
        assertThat(Pages.escape("<a href=\"x\" title='y'>&</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
        assertThat(Pages.escape("WDJB-MJHT")).isEqualTo("WDJB-MJHT");
        assertThat(Pages.escape(null)).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("B09 B11: the policy forbids framing and foreign resources")
    void contentSecurityPolicyWhenReadThenNoFramingAndSelfOnly() {
        assertThat(Pages.CONTENT_SECURITY_POLICY).contains("frame-ancestors 'none'").contains("default-src 'self'")
                .doesNotContain("unsafe-inline").doesNotContain("*");
    }
}
