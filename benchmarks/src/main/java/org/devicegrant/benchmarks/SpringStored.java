package org.devicegrant.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

/** The peer with {@code pending} authorizations issued through its own request provider, and their codes. */
final class SpringStored {

    final SpringPeer peer;
    final SpringPeer.Codes[] codes;
    final AtomicInteger lanes = new AtomicInteger();
    final int threads;

    SpringStored(SpringPeer.Store store, int pending, int threads) {
        this.peer = new SpringPeer(store, Algorithm.RS256, Wiring.defaultRandom());
        this.codes = new SpringPeer.Codes[pending];
        for (int i = 0; i < pending; i++) {
            codes[i] = peer.authorize();
        }
        this.threads = threads;
    }

    /** The codes of the next thread's lane: every T-th code. */
    SpringPeer.Codes[] nextLane() {
        int lane = lanes.getAndIncrement();
        int count = (codes.length - lane + threads - 1) / threads;
        SpringPeer.Codes[] mine = new SpringPeer.Codes[count];
        for (int i = lane, k = 0; i < codes.length; i += threads, k++) {
            mine[k] = codes[i];
        }
        return mine;
    }
}
