package org.devicegrant.storage.inmemory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.devicegrant.storage.Grant;
import org.devicegrant.storage.GrantStatus;
import org.devicegrant.storage.GrantStore;
import org.devicegrant.storage.RefreshTokenMatch;

/**
 * The embedded {@link GrantStore}: grants live in this JVM's heap, per tenant, indexed by id, by
 * every refresh-token hash they ever held and by subject, and are lost on restart. It passes the
 * storage TCK's {@code GrantStoreContract}.
 *
 * <p><b>Concurrency.</b> Thread-safe. Lookups read a volatile cell without locking. Each grant has
 * its own cell, and {@code replace} is a compare-and-set on it under that cell's monitor: of any
 * number of concurrent replaces of one version, exactly one succeeds, and the new refresh-token
 * hash is indexed in the same step, so once {@code replace} returns true the new hash is found as
 * current and the old one as retired; a replace that loses indexes nothing. Different grants never
 * contend. A {@code create} refused for a duplicate refresh-token hash may, while it runs, make its
 * grant briefly findable by id; ids and refresh tokens are random, so only a caller that reuses
 * them (a bug of its own) can see this.
 *
 * <p><b>Memory.</b> A grant costs its record plus one index entry per refresh-token hash it ever
 * held, until {@link #deleteExpired} removes it with all of them; a subject's index entry goes with
 * its last grant.
 *
 * <p><b>Expiry.</b> No background thread. A grant is purgeable from the earlier of its
 * {@code expiresAt} and its {@code revokedAt}; the store keeps grants ordered by that instant, so
 * {@link #deleteExpired} visits only the grants it deletes (and at most {@code maxCount} of them).
 * Deleting a grant drops every refresh-token hash it ever held.
 */
public final class InMemoryGrantStore implements GrantStore {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ConcurrentHashMap<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<PurgeEntry> byPurgeTime = new ConcurrentSkipListSet<>(PurgeEntry.ORDER);

    private InMemoryGrantStore() {
    }

    /** An empty store. */
    public static InMemoryGrantStore create() {
        return new InMemoryGrantStore();
    }

    /**
     * {@inheritDoc} O(1).
     *
     * @throws NullPointerException {@code grant} is null
     */
    @Override
    public void create(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        Tenant tenant = tenants.computeIfAbsent(grant.tenant(), t -> new Tenant());
        Cell cell = new Cell(grant);
        synchronized (cell) {
            if (tenant.byId.putIfAbsent(grant.id(), cell) != null) {
                throw new IllegalArgumentException("a grant with this id already exists in tenant '"
                        + grant.tenant() + "'");
            }
            String hash = grant.refreshTokenHash();
            if (hash != null) {
                if (tenant.byHash.putIfAbsent(hash, cell) != null) {
                    tenant.byId.remove(grant.id(), cell);
                    throw new IllegalArgumentException("a grant holding this refresh-token hash already exists"
                            + " in tenant '" + grant.tenant() + "'");
                }
                cell.hashes.add(hash);
            }
            tenant.bySubject.compute(grant.subject(), (subject, cells) -> {
                Set<Cell> ofSubject = cells == null ? ConcurrentHashMap.newKeySet() : cells;
                ofSubject.add(cell);
                return ofSubject;
            });
            cell.purgeEntry = new PurgeEntry(purgeTime(grant), cell);
            byPurgeTime.add(cell.purgeEntry);
        }
    }

    /**
     * {@inheritDoc} O(1).
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public Optional<Grant> findById(String tenant, String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        Tenant index = tenants.get(Objects.requireNonNull(tenant, "tenant"));
        Cell cell = index == null ? null : index.byId.get(grantId);
        return cell == null ? Optional.empty() : Optional.ofNullable(cell.grant);
    }

    /**
     * {@inheritDoc} O(1).
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public Optional<RefreshTokenMatch> findByRefreshTokenHash(String tenant, String refreshTokenHash) {
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        Tenant index = tenants.get(Objects.requireNonNull(tenant, "tenant"));
        Cell cell = index == null ? null : index.byHash.get(refreshTokenHash);
        Grant grant = cell == null ? null : cell.grant;
        if (grant == null) {
            return Optional.empty();
        }
        return Optional.of(new RefreshTokenMatch(grant, refreshTokenHash.equals(grant.refreshTokenHash())));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also when {@code next.version()} is not {@code expectedVersion + 1}
     * @throws NullPointerException     {@code next} is null
     */
    @Override
    public boolean replace(long expectedVersion, Grant next) {
        Objects.requireNonNull(next, "next");
        if (next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("next.version() must be expectedVersion + 1, was "
                    + next.version() + " for " + expectedVersion);
        }
        Tenant tenant = tenants.get(next.tenant());
        Cell cell = tenant == null ? null : tenant.byId.get(next.id());
        if (cell == null) {
            return false;
        }
        synchronized (cell) {
            Grant current = cell.grant;
            if (current == null || current.version() != expectedVersion) {
                return false;
            }
            if (!current.clientId().equals(next.clientId()) || !current.subject().equals(next.subject())) {
                throw new IllegalArgumentException("replace must keep the client and subject of grant " + current.id());
            }
            if (current.status() == GrantStatus.REVOKED && next.status() == GrantStatus.ACTIVE) {
                return false;
            }
            String hash = next.refreshTokenHash();
            if (hash != null && !cell.hashes.contains(hash)) {
                if (tenant.byHash.putIfAbsent(hash, cell) != null) {
                    throw new IllegalArgumentException("the new refresh-token hash is held by another grant");
                }
                cell.hashes.add(hash);
            }
            Instant purgeTime = purgeTime(next);
            if (!purgeTime.equals(cell.purgeEntry.purgeTime)) {
                PurgeEntry moved = new PurgeEntry(purgeTime, cell);
                byPurgeTime.add(moved);
                byPurgeTime.remove(cell.purgeEntry);
                cell.purgeEntry = moved;
            }
            cell.grant = next;
            return true;
        }
    }

    /**
     * {@inheritDoc} O(grants of the subject in the tenant, revoked and lapsed ones included, until purged).
     *
     * @throws NullPointerException an argument is null
     */
    @Override
    public List<Grant> listActive(String tenant, String subject, Instant now) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(now, "now");
        Tenant index = tenants.get(Objects.requireNonNull(tenant, "tenant"));
        if (index == null) {
            return List.of();
        }
        Set<Cell> cells = index.bySubject.get(subject);
        if (cells == null) {
            return List.of();
        }
        List<Grant> active = new ArrayList<>();
        for (Cell cell : cells) {
            Grant grant = cell.grant;
            if (grant != null && grant.isActive(now)) {
                active.add(grant);
            }
        }
        active.sort(Comparator.comparing(Grant::lastUsedAt).reversed().thenComparing(Grant::id));
        return List.copyOf(active);
    }

    /**
     * {@inheritDoc} Visits only the grants it deletes, earliest purge time first.
     *
     * @throws IllegalArgumentException {@code maxCount} is not positive
     * @throws NullPointerException     {@code before} is null
     */
    @Override
    public int deleteExpired(Instant before, int maxCount) {
        Objects.requireNonNull(before, "before");
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive, was " + maxCount);
        }
        int deleted = 0;
        Iterator<PurgeEntry> earliestFirst = byPurgeTime.iterator();
        while (deleted < maxCount && earliestFirst.hasNext()) {
            PurgeEntry entry = earliestFirst.next();
            if (!entry.purgeTime.isBefore(before)) {
                break;
            }
            if (delete(entry)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Every stored grant, in no particular order; for tests and diagnostics. */
    void forEachGrant(Consumer<Grant> action) {
        for (Tenant tenant : tenants.values()) {
            for (Cell cell : tenant.byId.values()) {
                Grant grant = cell.grant;
                if (grant != null) {
                    action.accept(grant);
                }
            }
        }
    }

    /** How many subjects the store indexes, over all tenants; for tests of the memory bound. */
    int indexedSubjects() {
        int count = 0;
        for (Tenant tenant : tenants.values()) {
            count += tenant.bySubject.size();
        }
        return count;
    }

    /** Every refresh-token hash the store indexes, in no particular order; for tests. */
    void forEachRefreshTokenHash(Consumer<String> action) {
        for (Tenant tenant : tenants.values()) {
            tenant.byHash.keySet().forEach(action);
        }
    }

    private boolean delete(PurgeEntry entry) {
        Cell cell = entry.cell;
        synchronized (cell) {
            Grant last = cell.grant;
            if (last == null || cell.purgeEntry != entry || !byPurgeTime.remove(entry)) {
                return false;
            }
            cell.grant = null;
            Tenant tenant = tenants.get(last.tenant());
            for (String hash : cell.hashes) {
                tenant.byHash.remove(hash, cell);
            }
            tenant.byId.remove(last.id(), cell);
            // in compute, like create's insert, so that a subject's last purge and a new grant of it never race
            tenant.bySubject.computeIfPresent(last.subject(), (subject, cells) -> {
                cells.remove(cell);
                return cells.isEmpty() ? null : cells;
            });
            return true;
        }
    }

    /** When a grant may be purged: the earlier of its lapse and its revocation. */
    private static Instant purgeTime(Grant grant) {
        Instant revokedAt = grant.revokedAt();
        return revokedAt != null && revokedAt.isBefore(grant.expiresAt()) ? revokedAt : grant.expiresAt();
    }

    /** Everything the store keeps for one tenant: three indexes onto the same cells. */
    private static final class Tenant {
        final ConcurrentHashMap<String, Cell> byId = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Cell> byHash = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Set<Cell>> bySubject = new ConcurrentHashMap<>();
    }

    /**
     * One grant's mutable cell: every index maps to it. Written only under its own monitor; holds
     * null once deleted, so that a racing replace fails.
     */
    private static final class Cell {
        volatile Grant grant;
        /** Every refresh-token hash the grant ever held; guarded by the cell's monitor. */
        final List<String> hashes = new ArrayList<>(2);
        /** The cell's entry in the purge order; guarded by the cell's monitor. */
        PurgeEntry purgeEntry;

        Cell(Grant grant) {
            this.grant = grant;
        }
    }

    /** A cell's place in the purge order; unique per entry through its sequence number. */
    private static final class PurgeEntry {
        static final Comparator<PurgeEntry> ORDER = (a, b) -> {
            int byTime = a.purgeTime.compareTo(b.purgeTime);
            return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
        };

        final Instant purgeTime;
        final Cell cell;
        final long sequence = SEQUENCE.incrementAndGet();

        PurgeEntry(Instant purgeTime, Cell cell) {
            this.purgeTime = purgeTime;
            this.cell = cell;
        }
    }
}
