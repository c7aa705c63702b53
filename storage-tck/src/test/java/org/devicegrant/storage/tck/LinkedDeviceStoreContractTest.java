package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.LinkedDeviceStore;
import org.junit.jupiter.api.Test;

/**
 * The linked-device contract against a correct reference store, which must pass every test, and
 * against stores broken in one way each, which must fail the tests written for that way.
 */
class LinkedDeviceStoreContractTest {

    @Test
    void whenStoreIsCorrectThenEveryContractTestPasses() {
        ContractRun run = ContractRun.of(ReferenceConformance.class);

        assertThat(run.failed()).isEmpty();
        assertThat(run.aborted()).isEmpty();
        assertThat(run.succeeded()).hasSize(17);
    }

    @Test
    void whenListIsNotOrderedByUseThenTheOrderTestsFail() {
        ContractRun run = ContractRun.of(InsertionOrderConformance.class);

        assertThat(run.failed()).contains(
                "whenSeveralLinkedThenListedMostRecentlyUsedFirst",
                "whenRecordUseThenLastUsedMovesAndTheListFollows");
    }

    @Test
    void whenASecondLinkOverwritesThenTheFirstLinkTestFails() {
        ContractRun run = ContractRun.of(OverwritingLinkConformance.class);

        assertThat(run.failed()).containsExactly("whenLinkedTwiceWithTheSameAuthorizationIdThenTheFirstLinkStays");
    }

    @Test
    void whenRecordUseMovesBackwardsThenTheForwardOnlyTestFails() {
        ContractRun run = ContractRun.of(BackwardsUseConformance.class);

        assertThat(run.failed()).contains("whenRecordUseWithAnEarlierInstantThenLastUsedStays");
    }

    @Test
    void whenTheStoreIgnoresTheTenantThenTheIsolationTestsFail() {
        ContractRun run = ContractRun.of(TenantBlindConformance.class);

        assertThat(run.failed()).contains(
                "whenRecordUseOfAnUnknownDeviceOrInAnotherTenantThenNothingChanges",
                "whenTheSameSubjectAndAuthorizationIdInTwoTenantsThenTwoDevices",
                "whenUnlinkNamesAnotherTenantThenFalseAndTheDeviceStays");
    }

    @Test
    void whenUnlinkIgnoresTheSubjectThenTheOwnerTestFails() {
        ContractRun run = ContractRun.of(AnyoneUnlinksConformance.class);

        assertThat(run.failed()).containsExactly("whenAnotherSubjectUnlinksThenFalseAndTheDeviceStays");
    }

    @Test
    void whenUnlinkIsNotAtomicThenTheUnlinkRaceFails() {
        ContractRun run = ContractRun.of(NonAtomicUnlinkConformance.class);

        assertThat(run.failed()).containsExactly("whenManyThreadsUnlinkTheSameDeviceThenExactlyOneSucceeds");
    }

    static class ReferenceConformance extends LinkedDeviceStoreContract {
        @Override
        protected LinkedDeviceStore createStore(MutableClock clock) {
            return new ReferenceLinkedDeviceStore();
        }
    }

    /** Lists in the order devices were linked. */
    static class InsertionOrderConformance extends LinkedDeviceStoreContract {
        @Override
        protected LinkedDeviceStore createStore(MutableClock clock) {
            return new ReferenceLinkedDeviceStore() {
                @Override
                List<LinkedDevice> ordered(List<LinkedDevice> ofSubject) {
                    return ofSubject;
                }
            };
        }
    }

    /** A second link of an authorization id replaces the first. */
    static class OverwritingLinkConformance extends LinkedDeviceStoreContract {
        @Override
        protected LinkedDeviceStore createStore(MutableClock clock) {
            return new ReferenceLinkedDeviceStore() {
                @Override
                public void link(LinkedDevice device) {
                    put(device);
                }
            };
        }
    }

    /** Sets the last use to whatever instant it is told. */
    static class BackwardsUseConformance extends LinkedDeviceStoreContract {
        @Override
        protected LinkedDeviceStore createStore(MutableClock clock) {
            return new ReferenceLinkedDeviceStore() {
                @Override
                public synchronized void recordUse(String tenant, String authorizationId, Instant when) {
                    LinkedDevice device = get(tenant, authorizationId);
                    if (device != null) {
                        put(new LinkedDevice(device.tenant(), device.subject(), device.authorizationId(),
                                device.clientId(), device.deviceMetadata(), device.scopes(), device.firstUsed(), when));
                    }
                }
            };
        }
    }

    /** Keys devices by authorization id alone, and lists a subject's devices of every tenant. */
    static class TenantBlindConformance extends LinkedDeviceStoreContract {
        @Override
        protected LinkedDeviceStore createStore(MutableClock clock) {
            return new ReferenceLinkedDeviceStore() {
                @Override
                Key key(String tenant, String authorizationId) {
                    return new Key("", authorizationId);
                }
            };
        }
    }

    /** Lets any subject of the tenant unlink a device. */
    static class AnyoneUnlinksConformance extends LinkedDeviceStoreContract {
        @Override
        protected LinkedDeviceStore createStore(MutableClock clock) {
            return new ReferenceLinkedDeviceStore() {
                @Override
                public synchronized boolean unlink(String tenant, String subject, String authorizationId) {
                    LinkedDevice device = get(tenant, authorizationId);
                    return device != null && super.unlink(tenant, device.subject(), authorizationId);
                }
            };
        }
    }

    /** Looks, lets other threads run, then removes: every racer sees the device and says it removed it. */
    static class NonAtomicUnlinkConformance extends LinkedDeviceStoreContract {
        @Override
        protected LinkedDeviceStore createStore(MutableClock clock) {
            return new ReferenceLinkedDeviceStore() {
                @Override
                public boolean unlink(String tenant, String subject, String authorizationId) {
                    LinkedDevice device = get(tenant, authorizationId);
                    if (device == null || !device.subject().equals(subject)) {
                        return false;
                    }
                    LockSupport.parkNanos(200_000);
                    remove(tenant, authorizationId);
                    return true;
                }
            };
        }
    }
}
