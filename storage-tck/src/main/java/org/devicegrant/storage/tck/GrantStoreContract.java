package org.devicegrant.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.devicegrant.storage.tck.Fixtures.OTHER_TENANT;
import static org.devicegrant.storage.tck.Fixtures.TENANT;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of {@link GrantStore}: every store's test class extends it and implements
 * {@link #createStore(MutableClock)}; that is all it takes.
 *
 * <pre>{@code
 * class MyGrantStoreTest extends GrantStoreContract {
 *     @Override
 *     protected GrantStore createStore(MutableClock clock) {
 *         return new MyGrantStore(...);
 *     }
 * }
 * }</pre>
 *
 * <p>What it checks, point by point of the SPI contract: the round trip of every field through
 * both finders, with and without the optional fields; tenant isolation of every finder and of
 * {@code replace} (the same id and the same refresh-token hash in two tenants are two grants);
 * that what comes back is exactly what went in, and that hashes are compared exactly (base64url is
 * case-sensitive); refusal of a duplicate id and of a refresh-token hash another grant holds or
 * held; compare-and-set on {@code version}, which must step by one, and refusal of a replace that
 * changes the grant's id, tenant, client or subject; rotation (the new hash current, every earlier
 * one retired, all on the same grant; a replace that lost leaves its hash unknown); 64 threads
 * presenting one refresh token, of which exactly one rotation wins; a revoked grant never active
 * again; {@code listActive} by tenant and subject, without revoked or lapsed grants, most recently
 * used first; and {@code deleteExpired}, which removes lapsed and revoked grants with every hash
 * they held, at most {@code maxCount} a call, and nothing else.
 *
 * <p>"Refused" where the SPI leaves the form open (a version that does not step by one, a replace
 * that names another id or tenant) means: {@code replace} returns false or throws
 * {@link IllegalArgumentException}, and nothing changes.
 *
 * <p>What it does not check: {@link org.devicegrant.storage.StoreUnavailableException}, which
 * needs fault injection specific to each backend and belongs in that store's own tests.
 *
 * <p>Assumptions the suite makes of a store: it takes "now" from the arguments of
 * {@code listActive} and {@code deleteExpired}, or from the clock handed to {@code createStore};
 * it keeps instants to the second at least (fixtures use whole seconds); it never purges a grant
 * on its own before {@code deleteExpired} asks. Each test gets a fresh, empty store; tests are
 * independent and may run in any order, but not in parallel with each other.
 */
public abstract class GrantStoreContract {

    /** Threads presenting one refresh token at once in the race tests. */
    protected static final int THREADS = 64;
    /** Rounds of the refresh race, each on a grant of its own. */
    protected static final int REFRESH_ROUNDS = 50;

    private static final String ALICE = "alice";
    private static final String BOB = "bob";

    /** The clock handed to {@link #createStore}; starts at {@link Fixtures#START}. */
    protected MutableClock clock;
    /** The store under test, fresh for each test. */
    protected GrantStore store;

    /**
     * A new, empty store. Called once before every test.
     *
     * @param clock the clock of this test; stores that read time themselves must use it
     */
    protected abstract GrantStore createStore(MutableClock clock) throws Exception;

    /** Releases what {@link #createStore} acquired. Called after every test; does nothing by default. */
    protected void closeStore(GrantStore store) throws Exception {
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

    /** The clock's current instant. */
    protected final Instant now() {
        return clock.instant();
    }

    /** Creates an ACTIVE fixture grant of {@code subject} in {@code tenant} at the clock's instant. */
    protected final Grant createGrant(String tenant, String subject) {
        Grant grant = Fixtures.grant(tenant, subject, now());
        store.create(grant);
        return grant;
    }

    // ---------------------------------------------------------------- round trip

    @Test
    void whenCreatedWithEveryFieldThenEveryFinderReturnsAnEqualGrant() {
        Grant grant = createGrant(TENANT, ALICE);

        assertThat(grant.claims()).isNotNull();
        assertThat(grant.authTime()).isNotNull();
        assertThat(grant.dpopJkt()).isNotNull();
        assertThat(grant.deviceMetadata()).isNotEmpty();
        assertThat(store.findById(TENANT, grant.id())).contains(grant);
        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(grant, true));
    }

    @Test
    void whenCreatedWithoutOptionalFieldsThenReturnedWithoutThem() {
        Grant bare = Fixtures.grantBuilder(TENANT, ALICE, now())
                .scopes(Set.of())
                .claims(null)
                .authTime(null)
                .deviceMetadata(Map.of())
                .refreshTokenHash(null)
                .dpopJkt(null)
                .build();

        store.create(bare);

        assertThat(store.findById(TENANT, bare.id())).contains(bare);
    }

    @Test
    void whenReplacedWithEveryMutableFieldChangedThenEveryFinderReturnsTheNewVersion() {
        Grant grant = createGrant(TENANT, ALICE);
        clock.advance(Duration.ofHours(3));
        Grant changed = grant.toBuilder()
                .scopes(Set.of("openid"))
                .claims("{\"acr\":\"urn:example:pwd\"}")
                .authTime(now().minusSeconds(5))
                .deviceMetadata(Map.of("device_name", "Bedroom TV"))
                .lastUsedAt(now())
                .expiresAt(now().plus(Duration.ofDays(7)))
                .refreshTokenHash(Fixtures.freshRefreshTokenHash())
                .dpopJkt(Fixtures.refreshTokenHash("another key"))
                .revoked(now().plusSeconds(1))
                .nextVersion()
                .build();

        assertThat(store.replace(grant.version(), changed)).isTrue();

        assertThat(store.findById(TENANT, grant.id())).contains(changed);
        assertThat(store.findByRefreshTokenHash(TENANT, changed.refreshTokenHash()))
                .contains(new RefreshTokenMatch(changed, true));
    }

    @Test
    void whenNothingStoredUnderTheKeyThenEveryFinderIsEmpty() {
        Grant stored = createGrant(TENANT, ALICE);
        Grant unknown = Fixtures.grant(TENANT, ALICE, now());

        assertThat(store.findById(TENANT, unknown.id())).isEmpty();
        assertThat(store.findByRefreshTokenHash(TENANT, unknown.refreshTokenHash())).isEmpty();
        assertThat(store.listActive(TENANT, BOB, now())).isEmpty();
        assertThat(store.findById(TENANT, stored.id())).contains(stored);
    }

    // ---------------------------------------------------------------- hashes only

    @Test
    void whenHashesDifferOnlyInCaseThenTheyAreDifferentTokens() {
        // base64url is case-sensitive: a case-insensitive index would let one token find another's grant
        Grant grant = Fixtures.grantBuilder(TENANT, ALICE, now())
                .refreshTokenHash("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE")
                .build();
        Grant twin = Fixtures.grantBuilder(TENANT, BOB, now())
                .refreshTokenHash("aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_aBcDe")
                .build();
        store.create(grant);

        assertThat(store.findByRefreshTokenHash(TENANT, twin.refreshTokenHash())).isEmpty();
        store.create(twin);
        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(grant, true));
        assertThat(store.findByRefreshTokenHash(TENANT, twin.refreshTokenHash()))
                .contains(new RefreshTokenMatch(twin, true));
    }

    // ---------------------------------------------------------------- tenant isolation

    @Test
    void whenSameIdAndHashInTwoTenantsThenTheyAreTwoGrants() {
        Grant inA = createGrant(TENANT, ALICE);
        Grant inB = inA.toBuilder().tenant(OTHER_TENANT).subject(BOB).build();

        store.create(inB);

        assertThat(store.findById(TENANT, inA.id())).contains(inA);
        assertThat(store.findById(OTHER_TENANT, inA.id())).contains(inB);
        assertThat(store.findByRefreshTokenHash(TENANT, inA.refreshTokenHash()))
                .contains(new RefreshTokenMatch(inA, true));
        assertThat(store.findByRefreshTokenHash(OTHER_TENANT, inA.refreshTokenHash()))
                .contains(new RefreshTokenMatch(inB, true));
    }

    @Test
    void whenFindByIdInOtherTenantThenEmpty() {
        Grant grant = createGrant(TENANT, ALICE);

        assertThat(store.findById(OTHER_TENANT, grant.id())).isEmpty();
    }

    @Test
    void whenFindByCurrentOrRetiredHashInOtherTenantThenEmpty() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant rotated = Fixtures.rotated(grant, now());
        assertThat(store.replace(grant.version(), rotated)).isTrue();

        assertThat(store.findByRefreshTokenHash(OTHER_TENANT, grant.refreshTokenHash())).isEmpty();
        assertThat(store.findByRefreshTokenHash(OTHER_TENANT, rotated.refreshTokenHash())).isEmpty();
    }

    @Test
    void whenListActiveInOtherTenantThenEmpty() {
        createGrant(TENANT, ALICE);

        assertThat(store.listActive(OTHER_TENANT, ALICE, now())).isEmpty();
    }

    @Test
    void whenReplaceNamesOtherTenantThenRefusedAndNothingChanges() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant crossing = Fixtures.rotated(grant, now()).toBuilder().tenant(OTHER_TENANT).build();

        assertRefused(() -> store.replace(grant.version(), crossing));

        assertThat(store.findById(TENANT, grant.id())).contains(grant);
        assertThat(store.findById(OTHER_TENANT, grant.id())).isEmpty();
        assertThat(store.findByRefreshTokenHash(OTHER_TENANT, crossing.refreshTokenHash())).isEmpty();
    }

    // ---------------------------------------------------------------- duplicates

    @Test
    void whenCreateWithExistingIdThenIllegalArgumentAndNothingWritten() {
        Grant original = createGrant(TENANT, ALICE);
        Grant sameId = Fixtures.grantBuilder(TENANT, BOB, now()).id(original.id()).build();

        assertThatThrownBy(() -> store.create(sameId)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findById(TENANT, original.id())).contains(original);
        assertThat(store.findByRefreshTokenHash(TENANT, sameId.refreshTokenHash())).isEmpty();
        assertThat(store.listActive(TENANT, BOB, now())).isEmpty();
    }

    @Test
    void whenCreateWithCurrentHashOfAnotherGrantThenIllegalArgumentAndNothingWritten() {
        Grant original = createGrant(TENANT, ALICE);
        Grant sameHash = Fixtures.grantBuilder(TENANT, BOB, now())
                .refreshTokenHash(original.refreshTokenHash())
                .build();

        assertThatThrownBy(() -> store.create(sameHash)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findById(TENANT, sameHash.id())).isEmpty();
        assertThat(store.findByRefreshTokenHash(TENANT, original.refreshTokenHash()))
                .contains(new RefreshTokenMatch(original, true));
        assertThat(store.listActive(TENANT, BOB, now())).isEmpty();
    }

    @Test
    void whenCreateWithRetiredHashOfAnotherGrantThenIllegalArgumentAndTheRetiredHashStaysWithItsGrant() {
        Grant original = createGrant(TENANT, ALICE);
        Grant rotated = Fixtures.rotated(original, now());
        assertThat(store.replace(original.version(), rotated)).isTrue();
        Grant sameHash = Fixtures.grantBuilder(TENANT, BOB, now())
                .refreshTokenHash(original.refreshTokenHash())
                .build();

        assertThatThrownBy(() -> store.create(sameHash)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findById(TENANT, sameHash.id())).isEmpty();
        assertThat(store.findByRefreshTokenHash(TENANT, original.refreshTokenHash()))
                .contains(new RefreshTokenMatch(rotated, false));
    }

    // ---------------------------------------------------------------- compare-and-set

    @Test
    void whenVersionIsStaleThenReplaceReturnsFalseAndNothingChanges() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant first = Fixtures.rotated(grant, now());
        assertThat(store.replace(0, first)).isTrue();
        Grant second = Fixtures.rotated(grant, now());

        assertThat(store.replace(0, second)).isFalse();

        assertThat(store.findById(TENANT, grant.id())).contains(first);
        assertThat(store.findByRefreshTokenHash(TENANT, second.refreshTokenHash())).isEmpty();
    }

    @Test
    void whenNextVersionIsNotExpectedPlusOneThenRefusedAndNothingChanges() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant sameVersion = grant.toBuilder().lastUsedAt(now().plusSeconds(1)).build();
        Grant skipping = Fixtures.rotated(grant, now()).toBuilder().nextVersion().build();

        assertRefused(() -> store.replace(0, sameVersion));
        assertRefused(() -> store.replace(0, skipping));

        assertThat(store.findById(TENANT, grant.id())).contains(grant);
        assertThat(store.findByRefreshTokenHash(TENANT, skipping.refreshTokenHash())).isEmpty();
    }

    @Test
    void whenGrantMissingThenReplaceReturnsFalse() {
        Grant neverStored = Fixtures.grant(TENANT, ALICE, now());

        assertThat(store.replace(0, Fixtures.rotated(neverStored, now()))).isFalse();

        assertThat(store.findById(TENANT, neverStored.id())).isEmpty();
    }

    @Test
    void whenReplaceChangesTheIdThenRefusedAndNothingChanges() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant renamed = Fixtures.rotated(grant, now()).toBuilder().id(grant.id() + "-renamed").build();

        assertRefused(() -> store.replace(grant.version(), renamed));

        assertThat(store.findById(TENANT, grant.id())).contains(grant);
        assertThat(store.findById(TENANT, renamed.id())).isEmpty();
        assertThat(store.findByRefreshTokenHash(TENANT, renamed.refreshTokenHash())).isEmpty();
    }

    @Test
    void whenReplaceChangesTheClientOrSubjectThenIllegalArgumentAndNothingChanges() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant otherClient = Fixtures.rotated(grant, now()).toBuilder().clientId("other-client").build();
        Grant otherSubject = Fixtures.rotated(grant, now()).toBuilder().subject(BOB).build();

        assertThatThrownBy(() -> store.replace(grant.version(), otherClient))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.replace(grant.version(), otherSubject))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findById(TENANT, grant.id())).contains(grant);
        assertThat(store.findByRefreshTokenHash(TENANT, otherClient.refreshTokenHash())).isEmpty();
        assertThat(store.findByRefreshTokenHash(TENANT, otherSubject.refreshTokenHash())).isEmpty();
        assertThat(store.listActive(TENANT, BOB, now())).isEmpty();
    }

    @Test
    void whenNewHashIsHeldByAnotherGrantThenIllegalArgumentAndNothingChanges() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant other = createGrant(TENANT, BOB);
        Grant stealing = Fixtures.rotated(grant, now()).toBuilder().refreshTokenHash(other.refreshTokenHash()).build();

        assertThatThrownBy(() -> store.replace(grant.version(), stealing)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findById(TENANT, grant.id())).contains(grant);
        assertThat(store.findByRefreshTokenHash(TENANT, other.refreshTokenHash()))
                .contains(new RefreshTokenMatch(other, true));
        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(grant, true));
    }

    @Test
    void whenReplacedInSequenceThenEachStepNeedsTheLatestVersion() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant once = Fixtures.rotated(grant, now());
        Grant twice = Fixtures.rotated(once, now());
        Grant twiceAgain = Fixtures.rotated(once, now());
        Grant thrice = Fixtures.rotated(twice, now());

        assertThat(store.replace(0, once)).isTrue();
        assertThat(store.replace(1, twice)).isTrue();
        assertThat(store.replace(1, twiceAgain)).isFalse();
        assertThat(store.replace(2, thrice)).isTrue();

        assertThat(store.findById(TENANT, grant.id())).contains(thrice);
        assertThat(thrice.version()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- rotation

    @Test
    void whenRotatedThenTheNewHashIsCurrentAndTheOldOneRetiredOnTheSameGrant() {
        Grant grant = createGrant(TENANT, ALICE);
        clock.advance(Duration.ofHours(1));
        Grant rotated = Fixtures.rotated(grant, now());

        assertThat(store.replace(grant.version(), rotated)).isTrue();

        assertThat(store.findByRefreshTokenHash(TENANT, rotated.refreshTokenHash()))
                .contains(new RefreshTokenMatch(rotated, true));
        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(rotated, false));
    }

    @Test
    void whenRotatedManyTimesThenEveryEarlierHashIsRetiredOnTheLatestVersion() {
        Grant grant = createGrant(TENANT, ALICE);
        List<String> earlier = new ArrayList<>();
        Grant latest = grant;
        for (int i = 0; i < 5; i++) {
            earlier.add(latest.refreshTokenHash());
            clock.advance(Duration.ofHours(1));
            Grant next = Fixtures.rotated(latest, now());
            assertThat(store.replace(latest.version(), next)).isTrue();
            latest = next;
        }

        for (String hash : earlier) {
            assertThat(store.findByRefreshTokenHash(TENANT, hash)).contains(new RefreshTokenMatch(latest, false));
        }
        assertThat(store.findByRefreshTokenHash(TENANT, latest.refreshTokenHash()))
                .contains(new RefreshTokenMatch(latest, true));
    }

    @Test
    void whenReplacedWithTheSameHashThenItStaysCurrent() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant used = grant.toBuilder().lastUsedAt(now().plusSeconds(60)).nextVersion().build();

        assertThat(store.replace(grant.version(), used)).isTrue();

        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(used, true));
    }

    @Test
    void whenReplacedWithoutAHashThenTheOldOneIsRetired() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant without = grant.toBuilder().refreshTokenHash(null).nextVersion().build();

        assertThat(store.replace(grant.version(), without)).isTrue();

        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(without, false));
    }

    @Test
    void whenCreatedWithoutAHashAndGivenOneLaterThenItIsCurrent() {
        Grant bare = Fixtures.grantBuilder(TENANT, ALICE, now()).refreshTokenHash(null).build();
        store.create(bare);
        Grant withToken = Fixtures.rotated(bare, now());

        assertThat(store.replace(bare.version(), withToken)).isTrue();

        assertThat(store.findByRefreshTokenHash(TENANT, withToken.refreshTokenHash()))
                .contains(new RefreshTokenMatch(withToken, true));
    }

    @Test
    void whenManyThreadsPresentOneRefreshTokenThenExactlyOneRotationWins() throws Exception {
        // RFC 9700 §4.14.2: a rotated refresh token is used once; the store's compare-and-set decides
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < REFRESH_ROUNDS; round++) {
                Grant grant = createGrant(TENANT, "user-" + round);
                String presented = grant.refreshTokenHash();
                List<AtomicReference<Grant>> attempts = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    attempts.add(new AtomicReference<>());
                }
                Instant refreshedAt = now();

                List<Boolean> won = race(pool, attempts, attempt -> {
                    Optional<RefreshTokenMatch> match = store.findByRefreshTokenHash(TENANT, presented);
                    if (match.isEmpty() || !match.get().current()) {
                        return false;
                    }
                    Grant next = Fixtures.rotated(match.get().grant(), refreshedAt);
                    attempt.set(next);
                    return store.replace(match.get().grant().version(), next);
                });

                assertThat(won).as("round %d", round).containsOnlyOnce(true);
                Grant winner = attempts.get(won.indexOf(true)).get();
                assertThat(store.findById(TENANT, grant.id())).as("round %d", round).contains(winner);
                assertThat(store.findByRefreshTokenHash(TENANT, winner.refreshTokenHash())).as("round %d", round)
                        .contains(new RefreshTokenMatch(winner, true));
                assertThat(store.findByRefreshTokenHash(TENANT, presented)).as("round %d", round)
                        .contains(new RefreshTokenMatch(winner, false));
                for (AtomicReference<Grant> attempt : attempts) {
                    Grant loser = attempt.get();
                    if (loser != null && loser != winner) {
                        assertThat(store.findByRefreshTokenHash(TENANT, loser.refreshTokenHash()))
                                .as("round %d: a losing rotation's hash", round).isEmpty();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- revocation

    @Test
    void whenRevokedThenFoundByIdAndByEveryHashAsRevoked() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant rotated = Fixtures.rotated(grant, now());
        assertThat(store.replace(0, rotated)).isTrue();
        Grant revoked = Fixtures.revoked(rotated, now().plusSeconds(5));

        assertThat(store.replace(1, revoked)).isTrue();

        assertThat(store.findById(TENANT, grant.id())).contains(revoked);
        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(revoked, false));
        assertThat(store.findByRefreshTokenHash(TENANT, rotated.refreshTokenHash()))
                .contains(new RefreshTokenMatch(revoked, true));
    }

    @Test
    void whenRevokedThenAReplaceBackToActiveIsFalseAndNothingChanges() {
        Grant grant = createGrant(TENANT, ALICE);
        Grant revoked = Fixtures.revoked(grant, now());
        assertThat(store.replace(0, revoked)).isTrue();
        Grant revived = Fixtures.rotated(revoked, now().plusSeconds(1)).toBuilder()
                .status(GrantStatus.ACTIVE)
                .revokedAt(null)
                .build();

        assertThat(store.replace(1, revived)).isFalse();

        assertThat(store.findById(TENANT, grant.id())).contains(revoked);
        assertThat(store.findByRefreshTokenHash(TENANT, revived.refreshTokenHash())).isEmpty();
        assertThat(store.listActive(TENANT, ALICE, now())).isEmpty();
    }

    @Test
    void whenRevokedThenStillReplaceableAsRevoked() {
        // housekeeping on a revoked grant (a later revokedAt is not the point; the version is) stays possible
        Grant grant = createGrant(TENANT, ALICE);
        Grant revoked = Fixtures.revoked(grant, now());
        assertThat(store.replace(0, revoked)).isTrue();
        Grant touched = revoked.toBuilder().lastUsedAt(now().plusSeconds(1)).nextVersion().build();

        assertThat(store.replace(1, touched)).isTrue();

        assertThat(store.findById(TENANT, grant.id())).contains(touched);
    }

    // ---------------------------------------------------------------- listActive

    @Test
    void whenListActiveThenMostRecentlyUsedFirst() {
        Grant middle = createGrantUsedAt(ALICE, now().plusSeconds(20));
        Grant newest = createGrantUsedAt(ALICE, now().plusSeconds(30));
        Grant oldest = createGrantUsedAt(ALICE, now().plusSeconds(10));

        assertThat(store.listActive(TENANT, ALICE, now().plusSeconds(40))).containsExactly(newest, middle, oldest);
    }

    @Test
    void whenAGrantIsRefreshedThenListActiveShowsItsLatestVersionFirst() {
        // neither creation order nor its reverse: only lastUsedAt gives this order
        Grant first = createGrant(TENANT, ALICE);
        clock.advance(Duration.ofMinutes(1));
        Grant second = createGrant(TENANT, ALICE);
        clock.advance(Duration.ofMinutes(1));
        Grant third = createGrant(TENANT, ALICE);
        clock.advance(Duration.ofMinutes(1));
        Grant refreshed = Fixtures.rotated(second, now());
        assertThat(store.replace(0, refreshed)).isTrue();

        assertThat(store.listActive(TENANT, ALICE, now())).containsExactly(refreshed, third, first);
    }

    @Test
    void whenListActiveThenRevokedAndLapsedGrantsAreLeftOut() {
        Grant active = createGrant(TENANT, ALICE);
        Grant revoked = createGrant(TENANT, ALICE);
        assertThat(store.replace(0, Fixtures.revoked(revoked, now()))).isTrue();
        Grant lapsing = Fixtures.grantBuilder(TENANT, ALICE, now()).expiresAt(now().plus(Duration.ofHours(1))).build();
        store.create(lapsing);

        assertThat(store.listActive(TENANT, ALICE, lapsing.expiresAt().minusSeconds(1)))
                .containsExactlyInAnyOrder(active, lapsing);
        assertThat(store.listActive(TENANT, ALICE, lapsing.expiresAt())).containsExactly(active);
    }

    @Test
    void whenListActiveThenOnlyThatSubjectsGrants() {
        Grant alices = createGrant(TENANT, ALICE);
        Grant bobs = createGrant(TENANT, BOB);

        assertThat(store.listActive(TENANT, ALICE, now())).containsExactly(alices);
        assertThat(store.listActive(TENANT, BOB, now())).containsExactly(bobs);
        assertThat(store.listActive(TENANT, "carol", now())).isEmpty();
    }

    // ---------------------------------------------------------------- deleteExpired

    @Test
    void whenDeleteExpiredThenLapsedAndRevokedGrantsGoWithEveryHashTheyHeld() {
        Grant lapsed = createGrantLapsingIn(Duration.ofHours(1));
        Grant rotatedThenRevoked = createGrant(TENANT, BOB);
        Grant rotated = Fixtures.rotated(rotatedThenRevoked, now());
        assertThat(store.replace(0, rotated)).isTrue();
        assertThat(store.replace(1, Fixtures.revoked(rotated, now().plusSeconds(1)))).isTrue();
        clock.advance(Duration.ofHours(2));

        assertThat(store.deleteExpired(now(), 100)).isEqualTo(2);

        assertThat(store.findById(TENANT, lapsed.id())).isEmpty();
        assertThat(store.findByRefreshTokenHash(TENANT, lapsed.refreshTokenHash())).isEmpty();
        assertThat(store.findById(TENANT, rotatedThenRevoked.id())).isEmpty();
        assertThat(store.findByRefreshTokenHash(TENANT, rotatedThenRevoked.refreshTokenHash())).isEmpty();
        assertThat(store.findByRefreshTokenHash(TENANT, rotated.refreshTokenHash())).isEmpty();
        assertThat(store.replace(2, Fixtures.rotated(rotated, now()).toBuilder().nextVersion().build()))
                .as("a purged grant cannot be replaced").isFalse();
    }

    @Test
    void whenDeleteExpiredThenGrantsLapsingOrRevokedAtOrAfterTheCutoffStay() {
        Grant shortLived = createGrantLapsingIn(Duration.ofHours(1));
        Grant atCutoff = createGrantLapsingIn(Duration.ofHours(2));
        Grant active = createGrant(TENANT, ALICE);
        Grant revokedLater = createGrant(TENANT, BOB);
        Instant cutoff = atCutoff.expiresAt();
        Grant revoked = Fixtures.revoked(revokedLater, cutoff);
        assertThat(store.replace(0, revoked)).isTrue();

        assertThat(store.deleteExpired(cutoff, 100)).isEqualTo(1);

        assertThat(store.findById(TENANT, shortLived.id())).isEmpty();
        assertThat(store.findById(TENANT, atCutoff.id())).contains(atCutoff);
        assertThat(store.findById(TENANT, active.id())).contains(active);
        assertThat(store.findById(TENANT, revokedLater.id())).contains(revoked);
        assertThat(store.findByRefreshTokenHash(TENANT, revoked.refreshTokenHash()))
                .contains(new RefreshTokenMatch(revoked, true));
    }

    @Test
    void whenDeleteExpiredThenAtMostMaxCountPerCallAcrossTenants() {
        List<Grant> lapsing = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Grant grant = Fixtures.grantBuilder(i % 2 == 0 ? TENANT : OTHER_TENANT, ALICE, now())
                    .expiresAt(now().plus(Duration.ofHours(1)))
                    .build();
            store.create(grant);
            lapsing.add(grant);
        }
        Grant survivor = createGrant(TENANT, ALICE);
        Instant cutoff = now().plus(Duration.ofHours(2));

        List<Integer> counts = new ArrayList<>();
        int deleted;
        do {
            deleted = store.deleteExpired(cutoff, 3);
            counts.add(deleted);
        } while (deleted > 0 && counts.size() < 10);

        assertThat(counts).containsExactly(3, 3, 1, 0);
        for (Grant grant : lapsing) {
            assertThat(store.findById(grant.tenant(), grant.id())).isEmpty();
        }
        assertThat(store.findById(TENANT, survivor.id())).contains(survivor);
    }

    @Test
    void whenARefreshMovedTheDeadlineThenDeleteExpiredKeepsTheGrant() {
        Grant grant = createGrantLapsingIn(Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(30));
        Grant refreshed = Fixtures.rotated(grant, now());
        assertThat(store.replace(0, refreshed)).isTrue();

        assertThat(store.deleteExpired(grant.expiresAt().plusSeconds(1), 100)).isZero();

        assertThat(store.findById(TENANT, grant.id())).contains(refreshed);
        assertThat(store.findByRefreshTokenHash(TENANT, grant.refreshTokenHash()))
                .contains(new RefreshTokenMatch(refreshed, false));
    }

    // ---------------------------------------------------------------- helpers

    private Grant createGrantUsedAt(String subject, Instant lastUsedAt) {
        Grant grant = Fixtures.grantBuilder(TENANT, subject, now()).lastUsedAt(lastUsedAt).build();
        store.create(grant);
        return grant;
    }

    private Grant createGrantLapsingIn(Duration lifetime) {
        Grant grant = Fixtures.grantBuilder(TENANT, ALICE, now()).expiresAt(now().plus(lifetime)).build();
        store.create(grant);
        return grant;
    }

    /** {@code replace} refused: it returned false or threw {@link IllegalArgumentException}. */
    private static void assertRefused(BooleanSupplier replace) {
        boolean stored;
        try {
            stored = replace.getAsBoolean();
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(stored).as("replace must be refused").isFalse();
    }

    private static <T> List<Boolean> race(ExecutorService pool, List<T> inputs, Races.Step<T> step) throws Exception {
        return Races.run(pool, inputs, step);
    }
}
