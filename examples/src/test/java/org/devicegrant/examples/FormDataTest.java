package org.devicegrant.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FormDataTest {

    @Test
    void parseWhenEncodedThenDecodedAndRepeatedValuesKeptInOrder() {
        FormData form = FormData.parse("user_code=wdjb+mjht&scope=openid&scope=profile&empty=&flag");

        assertThat(form.single("user_code")).hasValue("wdjb mjht");
        assertThat(form.all("scope")).containsExactly("openid", "profile");
        assertThat(form.single("empty")).hasValue("");
        assertThat(form.single("flag")).hasValue("");
    }

    @Test
    void singleWhenRepeatedOrAbsentThenEmpty() {
        FormData form = FormData.parse("csrf=a&csrf=b");

        assertThat(form.single("csrf")).isEmpty();
        assertThat(form.single("missing")).isEmpty();
        assertThat(FormData.parse(null).all("x")).isEmpty();
    }

    @Test
    void parseWhenEscapeMalformedThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> FormData.parse("user_code=%zz"));
    }

    @Test
    void toStringWhenCalledThenNamesOnly() {
        assertThat(FormData.parse("password=s3cret").toString()).contains("password").doesNotContain("s3cret");
    }
}
