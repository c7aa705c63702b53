package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.storage.tck.Fixtures.OTHER_TENANT;
import static org.devicegrant.storage.tck.Fixtures.TENANT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.LinkedDeviceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of {@link LinkedDeviceStore}: every store's test class extends it and
 * implements {@link #createStore(MutableClock)}.
 *
 * <pre>{@code
 * class MyLinkedDeviceStoreTest extends LinkedDeviceStoreContract {
 *     @Override
 *     protected LinkedDeviceStore createStore(MutableClock clock) {
 *         return new MyLinkedDeviceStore(...);
 *     }
 * }
 * }</pre>
 *
 * <p>What it checks, point by point of the SPI contract: a linked device lists with every field;
 * a subject's devices list most recently used first; {@code recordUse} only moves
 * {@code lastUsed} forward and reorders the list; a second {@code link} of the same
 * authorization id changes nothing; tenants and subjects are isolated for listing, use and
 * unlinking; {@code unlink} removes only the owner's device, once, and answers false
 * afterwards; and, with many threads at once, links are never lost, one unlink of a device wins,
 * links and unlinks of different devices do not disturb each other, and concurrent uses leave
 * the latest instant.
 *
 * <p>Each test gets a fresh, empty store; tests are independent and may run in any order, but not
 * in parallel with each other (the race tests make their own threads).
 */
public abstract class LinkedDeviceStoreContract {

    /** Threads used by the race tests. */
    protected static final int THREADS = 64;

    private static final String ALICE = "alice";
    private static final String BOB = "bob";

    /** The clock handed to {@link #createStore}; starts at {@link Fixtures#START}. */
    protected MutableClock clock;
    /** The store under test, fresh for each test. */
    protected LinkedDeviceStore store;

    /**
     * A new, empty store. Called once before every test.
     *
     * @param clock the clock of this test; stores that read time themselves must use it
     */
    protected abstract LinkedDeviceStore createStore(MutableClock clock) throws Exception;

    /** Releases what {@link #createStore} acquired. Called after every test; does nothing by default. */
    protected void closeStore(LinkedDeviceStore store) throws Exception {
    }

    @BeforeEach
    final void setUpStore() throws Exception {
        clock = Fixtures.clock();
        store = createStore(clock);
    }

    @AfterEach
    final void tearDownStore() throws Exception {
        if (store != null) {
            closeStore(store);
        }
    }

    // ---------------------------------------------------------------- link and list

    @Test
    void whenLinkedThenListedWithEveryField() {
        LinkedDevice device = link(TENANT, ALICE, clock.instant());

        assertThat(store.list(TENANT, ALICE)).containsExactly(device);
    }

    @Test
    void whenSeveralLinkedThenListedMostRecentlyUsedFirst() {
        Instant start = clock.instant();
        LinkedDevice middle = link(TENANT, ALICE, start.plusSeconds(20));
        LinkedDevice newest = link(TENANT, ALICE, start.plusSeconds(30));
        LinkedDevice oldest = link(TENANT, ALICE, start.plusSeconds(10));

        assertThat(store.list(TENANT, ALICE)).containsExactly(newest, middle, oldest);
    }

    @Test
    void whenNothingLinkedThenListIsEmpty() {
        assertThat(store.list(TENANT, ALICE)).isEmpty();
    }

    @Test
    void whenLinkedTwiceWithTheSameAuthorizationIdThenTheFirstLinkStays() {
        LinkedDevice first = link(TENANT, ALICE, clock.instant());
        LinkedDevice again = new LinkedDevice(TENANT, BOB, first.authorizationId(), "other-client",
                first.deviceMetadata(), first.scopes(), first.firstUsed().plusSeconds(60),
                first.lastUsed().plusSeconds(60));

        store.link(again);

        assertThat(store.list(TENANT, ALICE)).containsExactly(first);
        assertThat(store.list(TENANT, BOB)).isEmpty();
    }

    // ---------------------------------------------------------------- recordUse

    @Test
    void whenRecordUseThenLastUsedMovesAndTheListFollows() {
        Instant start = clock.instant();
        LinkedDevice tv = link(TENANT, ALICE, start);
        LinkedDevice console = link(TENANT, ALICE, start.plusSeconds(10));
        assertThat(store.list(TENANT, ALICE)).containsExactly(console, tv);

        store.recordUse(TENANT, tv.authorizationId(), start.plusSeconds(20));

        assertThat(store.list(TENANT, ALICE)).containsExactly(tv.usedAt(start.plusSeconds(20)), console);
        assertThat(store.list(TENANT, ALICE).get(0).firstUsed()).isEqualTo(start);
    }

    @Test
    void whenRecordUseWithAnEarlierInstantThenLastUsedStays() {
        Instant start = clock.instant();
        LinkedDevice tv = link(TENANT, ALICE, start.plusSeconds(30));

        store.recordUse(TENANT, tv.authorizationId(), start.plusSeconds(10));

        assertThat(store.list(TENANT, ALICE)).containsExactly(tv);
    }

    @Test
    void whenRecordUseOfAnUnknownDeviceOrInAnotherTenantThenNothingChanges() {
        LinkedDevice tv = link(TENANT, ALICE, clock.instant());

        store.recordUse(TENANT, "unknown-authorization", clock.instant().plusSeconds(10));
        store.recordUse(OTHER_TENANT, tv.authorizationId(), clock.instant().plusSeconds(10));

        assertThat(store.list(TENANT, ALICE)).containsExactly(tv);
        assertThat(store.list(OTHER_TENANT, ALICE)).isEmpty();
    }

    // ---------------------------------------------------------------- isolation

    @Test
    void whenAnotherSubjectListsThenTheirOwnDevicesOnly() {
        LinkedDevice alices = link(TENANT, ALICE, clock.instant());
        LinkedDevice bobs = link(TENANT, BOB, clock.instant());

        assertThat(store.list(TENANT, ALICE)).containsExactly(alices);
        assertThat(store.list(TENANT, BOB)).containsExactly(bobs);
        assertThat(store.list(TENANT, "carol")).isEmpty();
    }

    @Test
    void whenTheSameSubjectAndAuthorizationIdInTwoTenantsThenTwoDevices() {
        LinkedDevice inA = link(TENANT, ALICE, clock.instant());
        LinkedDevice inB = new LinkedDevice(OTHER_TENANT, ALICE, inA.authorizationId(), inA.clientId(),
                inA.deviceMetadata(), inA.scopes(), inA.firstUsed().plusSeconds(5), inA.lastUsed().plusSeconds(5));

        store.link(inB);
        store.recordUse(OTHER_TENANT, inA.authorizationId(), clock.instant().plusSeconds(60));

        assertThat(store.list(TENANT, ALICE)).containsExactly(inA);
        assertThat(store.list(OTHER_TENANT, ALICE)).containsExactly(inB.usedAt(clock.instant().plusSeconds(60)));
    }

    // ---------------------------------------------------------------- unlink

    @Test
    void whenTheOwnerUnlinksThenGoneAndASecondUnlinkIsFalse() {
        LinkedDevice tv = link(TENANT, ALICE, clock.instant());
        LinkedDevice console = link(TENANT, ALICE, clock.instant().plusSeconds(1));

        assertThat(store.unlink(TENANT, ALICE, tv.authorizationId())).isTrue();

        assertThat(store.list(TENANT, ALICE)).containsExactly(console);
        assertThat(store.unlink(TENANT, ALICE, tv.authorizationId())).isFalse();
        store.recordUse(TENANT, tv.authorizationId(), clock.instant().plusSeconds(60));
        assertThat(store.list(TENANT, ALICE)).containsExactly(console);
    }

    @Test
    void whenAnotherSubjectUnlinksThenFalseAndTheDeviceStays() {
        LinkedDevice tv = link(TENANT, ALICE, clock.instant());

        assertThat(store.unlink(TENANT, BOB, tv.authorizationId())).isFalse();

        assertThat(store.list(TENANT, ALICE)).containsExactly(tv);
    }

    @Test
    void whenUnlinkNamesAnotherTenantThenFalseAndTheDeviceStays() {
        LinkedDevice tv = link(TENANT, ALICE, clock.instant());

        assertThat(store.unlink(OTHER_TENANT, ALICE, tv.authorizationId())).isFalse();

        assertThat(store.list(TENANT, ALICE)).containsExactly(tv);
    }

    @Test
    void whenUnlinkNamesAnUnknownDeviceThenFalse() {
        assertThat(store.unlink(TENANT, ALICE, "unknown-authorization")).isFalse();
    }

    // ---------------------------------------------------------------- races

    @Test
    void whenManyThreadsLinkDevicesOfOneSubjectThenEveryDeviceIsListed() throws Exception {
        List<LinkedDevice> devices = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            devices.add(Fixtures.linkedDevice(TENANT, ALICE, clock.instant().plusSeconds(i)));
        }

        inRace(devices, device -> {
            store.link(device);
            return true;
        });

        assertThat(store.list(TENANT, ALICE)).containsExactlyElementsOf(newestFirst(devices));
    }

    @Test
    void whenManyThreadsUnlinkTheSameDeviceThenExactlyOneSucceeds() throws Exception {
        LinkedDevice tv = link(TENANT, ALICE, clock.instant());

        List<Boolean> removed = inRace(Collections.nCopies(THREADS, tv),
                device -> store.unlink(TENANT, ALICE, device.authorizationId()));

        assertThat(removed).containsOnlyOnce(true);
        assertThat(store.list(TENANT, ALICE)).isEmpty();
    }

    @Test
    void whenLinksAndUnlinksOfDifferentDevicesRaceThenExactlyTheSurvivorsAreListed() throws Exception {
        Instant start = clock.instant();
        List<LinkedDevice> leaving = new ArrayList<>();
        List<LinkedDevice> arriving = new ArrayList<>();
        for (int i = 0; i < THREADS / 2; i++) {
            leaving.add(link(TENANT, ALICE, start.plusSeconds(i)));
            arriving.add(Fixtures.linkedDevice(TENANT, ALICE, start.plusSeconds(1_000 + i)));
        }
        List<LinkedDevice> racers = new ArrayList<>();
        for (int i = 0; i < THREADS / 2; i++) {
            racers.add(leaving.get(i));
            racers.add(arriving.get(i));
        }

        List<Boolean> outcomes = inRace(racers, device -> {
            if (leaving.contains(device)) {
                return store.unlink(TENANT, ALICE, device.authorizationId());
            }
            store.link(device);
            return true;
        });

        assertThat(outcomes).containsOnly(true);
        assertThat(store.list(TENANT, ALICE)).containsExactlyElementsOf(newestFirst(arriving));
    }

    @Test
    void whenManyThreadsRecordUsesThenLastUsedIsTheLatest() throws Exception {
        LinkedDevice tv = link(TENANT, ALICE, clock.instant());
        List<Instant> uses = new ArrayList<>();
        for (int i = 1; i <= THREADS; i++) {
            uses.add(clock.instant().plus(Duration.ofSeconds(i)));
        }

        inRace(uses, when -> {
            store.recordUse(TENANT, tv.authorizationId(), when);
            return true;
        });

        assertThat(store.list(TENANT, ALICE)).containsExactly(tv.usedAt(uses.get(THREADS - 1)));
    }

    // ---------------------------------------------------------------- helpers

    /** Links a fresh device of {@code subject} in {@code tenant}, first and last used at {@code usedAt}. */
    protected final LinkedDevice link(String tenant, String subject, Instant usedAt) {
        LinkedDevice device = Fixtures.linkedDevice(tenant, subject, usedAt);
        store.link(device);
        return device;
    }

    /** {@code devices}, linked oldest first, in the order a list must show them. */
    private static List<LinkedDevice> newestFirst(List<LinkedDevice> devices) {
        List<LinkedDevice> reversed = new ArrayList<>(devices);
        Collections.reverse(reversed);
        return reversed;
    }

    private static <T> List<Boolean> inRace(List<T> inputs, Races.Step<T> step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            return Races.run(pool, inputs, step);
        } finally {
            pool.shutdownNow();
        }
    }
}
