package org.devicegrant.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodyTest {

    @Test
    void readWhenBodyShorterThanLimitThenAllOfIt() throws IOException {
        byte[] form = "client_id=tv&scope=openid".getBytes(StandardCharsets.US_ASCII);
        assertThat(RequestBody.read(new ByteArrayInputStream(form))).isEqualTo(form);
    }

    @Test
    void readWhenBodyEmptyThenNoBytes() throws IOException {
        assertThat(RequestBody.read(InputStream.nullInputStream())).isEmpty();
    }

    @Test
    void readWhenBodyExactlyMaxBodyBytesThenAllOfIt() throws IOException {
        byte[] body = filled(DeviceGrantRequest.MAX_BODY_BYTES);
        assertThat(RequestBody.read(new ByteArrayInputStream(body))).isEqualTo(body);
    }

    @Test
    void readWhenBodyLongerThanMaxThenOneByteMoreThanMaxAndTheRestLeftUnread() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(filled(DeviceGrantRequest.MAX_BODY_BYTES + 10));
        byte[] read = RequestBody.read(in);
        // one byte more than the endpoints parse, so that the grant sees the body is too long
        assertThat(read).hasSize(DeviceGrantRequest.MAX_BODY_BYTES + 1);
        assertThat(in.available()).isEqualTo(9);
    }

    @Test
    void readWhenBodyNeverEndsThenReturnsAfterMaxPlusOneBytes() throws IOException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                Arrays.fill(buffer, offset, offset + length, (byte) 'a');
                return length;
            }
        };
        assertThat(RequestBody.read(endless)).hasSize(DeviceGrantRequest.MAX_BODY_BYTES + 1);
    }

    @Test
    void readWhenDoneThenStreamLeftOpenForTheCaller() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new FilterInputStream(new ByteArrayInputStream(new byte[3])) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        RequestBody.read(in);
        assertThat(closed).isFalse();
    }

    @Test
    void readWhenStreamFailsThenIoExceptionPropagates() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> RequestBody.read(broken)).isInstanceOf(IOException.class)
                .hasMessage("connection reset");
    }

    @Test
    void readWhenStreamMissingThenRejectedAtOnce() {
        assertThatThrownBy(() -> RequestBody.read(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("body");
    }

    private static byte[] filled(int length) {
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) 'a');
        return body;
    }
}
