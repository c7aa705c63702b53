package org.devicegrant;

import org.devicegrant.storage.DeviceAuthorization;
import org.devicegrant.storage.DeviceAuthorizationStore;
import org.devicegrant.storage.PendingLimitExceededException;
import org.devicegrant.storage.StoreUnavailableException;
import org.devicegrant.storage.UserCodeCollisionException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store decorator that counts calls and can fail the k-th call, for tests that must prove
 * what does and does not reach the store (SECURITY-TESTS rows 9, 24, 25).
 */
final class CountingStore implements DeviceAuthorizationStore {

    private final DeviceAuthorizationStore delegate;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger userCodeLookups = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    /** Every record handed to the store to persist, in order. */
    final List<DeviceAuthorization> persisted = new CopyOnWriteArrayList<>();
    private volatile int failCall = -1;

    CountingStore(DeviceAuthorizationStore delegate) {
        this.delegate = delegate;
    }

    /** Makes the call numbered {@code k} from now (1-based) throw {@link StoreUnavailableException}. */
    void failCallFromNow(int k) {
        failCall = calls.get() + k;
    }

    private void tick() {
        if (calls.incrementAndGet() == failCall) {
            throw new StoreUnavailableException("injected fault");
        }
    }

    @Override
    public void create(DeviceAuthorization a, Instant now) throws UserCodeCollisionException, PendingLimitExceededException {
        tick();
        persisted.add(a);
        delegate.create(a, now);
        writes.incrementAndGet();
    }

    @Override
    public Optional<DeviceAuthorization> findByDeviceCodeHash(String tenant, String hash) {
        tick();
        return delegate.findByDeviceCodeHash(tenant, hash);
    }

    @Override
    public Optional<DeviceAuthorization> findByUserCodeHash(String tenant, String hash) {
        tick();
        userCodeLookups.incrementAndGet();
        return delegate.findByUserCodeHash(tenant, hash);
    }

    @Override
    public Optional<DeviceAuthorization> findById(String tenant, String id) {
        tick();
        return delegate.findById(tenant, id);
    }

    @Override
    public boolean replace(long expectedVersion, DeviceAuthorization next) {
        tick();
        persisted.add(next);
        boolean won = delegate.replace(expectedVersion, next);
        if (won) {
            writes.incrementAndGet();
        }
        return won;
    }

    @Override
    public int deleteExpired(Instant expiredBefore, int maxCount) {
        tick();
        return delegate.deleteExpired(expiredBefore, maxCount);
    }

    @Override
    public long countPending(String tenant, Instant now) {
        tick();
        return delegate.countPending(tenant, now);
    }

    @Override
    public long countPending(String tenant, String clientId, Instant now) {
        tick();
        return delegate.countPending(tenant, clientId, now);
    }
}
