package org.devicegrant.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CancellationTokenTest {

    @Test
    void cancelWhenCalledThenCancelledForGoodAndIdempotent() {
        CancellationToken token = new CancellationToken();
        assertThat(token.isCancelled()).isFalse();

        token.cancel();
        token.cancel();

        assertThat(token.isCancelled()).isTrue();
        assertThat(token).hasToString("CancellationToken[cancelled]");
    }

    @Test
    void awaitWhenAlreadyCancelledThenReturnsAtOnceEvenForALongWait() throws Exception {
        CancellationToken token = new CancellationToken();
        token.cancel();

        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            try {
                token.await(ChronoUnit.FOREVER.getDuration());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(waited).succeedsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void awaitWhenNotCancelledThenWaitsTheDuration() throws Exception {
        CancellationToken token = new CancellationToken();
        long start = System.nanoTime();

        token.await(Duration.ofMillis(20));

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(token.isCancelled()).isFalse();
    }
}
