package org.devicegrant.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryFootprintTest {

    @Test
    void bytesPerRecordWhenTwentyThousandRecordsThenAPlausibleRecordSize() {
        // a stored record holds two 43-character hashes, an id and its indexes: hundreds of bytes, not tens or tens of thousands
        double bytes = MemoryFootprint.bytesPerRecord(20_000);

        assertThat(bytes).isBetween(200.0, 5_000.0);
    }
}
