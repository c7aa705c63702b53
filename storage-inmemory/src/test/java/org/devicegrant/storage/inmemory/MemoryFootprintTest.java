package org.devicegrant.storage.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryFootprintTest {

    @Test
    void whenHundredThousandPendingRecordsStoredThenWellUnderTwoKibEach() throws Exception {
        // generous bound: the measured figure is in InMemoryDeviceAuthorizationStore's Javadoc
        double perRecord = MemoryFootprint.bytesPerRecord();

        assertThat(perRecord).isBetween(100.0, 2048.0);
    }
}
