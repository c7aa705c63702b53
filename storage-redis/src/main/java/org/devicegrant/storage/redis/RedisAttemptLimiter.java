package org.devicegrant.storage.redis;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.devicegrant.storage.AttemptDecision;
import org.devicegrant.storage.AttemptLimiter;
import org.devicegrant.storage.AttemptPolicy;

/**
 * An {@link AttemptLimiter} whose counters live in Redis (standalone, Sentinel or Cluster), so
 * that every node of a deployment spends the same budgets (RFC 8628 §5.1: user-code attempts are
 * rate-limited).
 *
 * <p>Each {@link #tryAcquire} and {@link #recordSuccess} is one Lua script: the decision and the
 * charge are one atomic step, so racing nodes never overspend a budget and the tenant's global
 * budget is exact cluster-wide. Per attempt key a sorted set holds the failure times (sliding
 * windows, trimmed in the script) and a hash the lockout state; per tenant a sorted set holds the
 * global failures. All share the tenant's hash tag, so a tenant's budgets live on one Cluster
 * shard. Attempt keys are stored only as SHA-256 digests. Every key has a TTL of its longest
 * window (plus the lockout for lockout state); the lockout count that doubles the next lockout is
 * forgotten once that TTL runs out.
 *
 * <p>Time is the {@code now} the caller passes, never the Redis clock.
 *
 * <p>Thread-safe; any number of instances may share one Redis. Failures of Redis are
 * {@link org.devicegrant.storage.StoreUnavailableException}s; the caller refuses the attempt.
 */
public final class RedisAttemptLimiter implements AttemptLimiter {

    private static final LuaScript ACQUIRE = LuaScript.load("acquire");
    private static final LuaScript REFUND = LuaScript.load("refund");

    private final RedisGateway redis;
    private final KeySchema keys;
    private final AttemptPolicy policy;
    private final String[] policyArgs;

    private RedisAttemptLimiter(Builder builder) {
        this.redis = builder.connection.gateway();
        this.keys = builder.connection.keys();
        this.policy = builder.policy;
        long longest = Math.max(policy.window().toMillis(), policy.burstWindow().toMillis());
        this.policyArgs = new String[] {
            Integer.toString(policy.burstFailures()),
            Long.toString(policy.burstWindow().toMillis()),
            Integer.toString(policy.windowFailures()),
            Long.toString(policy.window().toMillis()),
            Long.toString(policy.initialLockout().toMillis()),
            Long.toString(policy.maxLockout().toMillis()),
            Integer.toString(policy.globalFailures()),
            Long.toString(policy.globalWindow().toMillis()),
            Long.toString(longest)};
    }

    /** A builder with no connection set and the default policy. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} The policy given to the builder. */
    @Override
    public AttemptPolicy policy() {
        return policy;
    }

    /** {@inheritDoc} One script call. */
    @Override
    public AttemptDecision tryAcquire(String tenant, String key, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(now, "now");
        String digest = digest(key);
        List<Object> reply = RedisGateway.list(redis.eval("tryAcquire", ACQUIRE, ScriptOutputType.MULTI,
                new String[] {
                    keys.limiterFailures(tenant, digest),
                    keys.limiterState(tenant, digest),
                    keys.limiterGlobal(tenant),
                    keys.limiterSequence(tenant)},
                Long.toString(now.toEpochMilli()), policyArgs[0], policyArgs[1], policyArgs[2], policyArgs[3],
                policyArgs[4], policyArgs[5], policyArgs[6], policyArgs[7], digest, policyArgs[8]));
        if (((Long) reply.get(0)) == 1L) {
            return AttemptDecision.allow();
        }
        return AttemptDecision.refuse(Duration.ofMillis((Long) reply.get(1)));
    }

    /** {@inheritDoc} One script call: removes the key's newest charge and its share of the global budget. */
    @Override
    public void recordSuccess(String tenant, String key, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        String digest = digest(key);
        redis.eval("recordSuccess", REFUND, ScriptOutputType.INTEGER,
                new String[] {keys.limiterFailures(tenant, digest), keys.limiterGlobal(tenant)}, digest);
    }

    private static String digest(String key) {
        Objects.requireNonNull(key, "key");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Configures a {@link RedisAttemptLimiter}. The connection is required; every setting may be
     * assigned once. Not thread-safe.
     */
    public static final class Builder {
        private RedisConnection connection;
        private AttemptPolicy policy = AttemptPolicy.defaults();
        private boolean policySet;

        private Builder() {
        }

        /**
         * The connection and key prefix, shared with the store; required.
         *
         * @throws IllegalStateException already set
         */
        public Builder connection(RedisConnection connection) {
            if (this.connection != null) {
                throw new IllegalStateException("connection was already set");
            }
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /**
         * The budgets, default {@link AttemptPolicy#defaults()}.
         *
         * @throws IllegalStateException already set
         */
        public Builder policy(AttemptPolicy policy) {
            if (policySet) {
                throw new IllegalStateException("policy was already set");
            }
            this.policy = policy;
            this.policySet = true;
            return this;
        }

        /**
         * The limiter.
         *
         * @throws IllegalStateException    no connection was set
         * @throws IllegalArgumentException a setting is out of its range; the message names it
         */
        public RedisAttemptLimiter build() {
            if (connection == null) {
                throw new IllegalStateException("connection is required");
            }
            if (policy == null) {
                throw new IllegalArgumentException("policy must not be null");
            }
            return new RedisAttemptLimiter(this);
        }
    }
}
