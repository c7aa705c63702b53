package org.devicegrant;

import org.devicegrant.code.CodeHasher;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.storage.DeviceAuthorization;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.form;
import static org.devicegrant.TestGrants.json;

/** SECURITY-TESTS row 12 (REQ-UC-6): colliding user codes are regenerated, never overwritten. */
class UserCodeCollisionTest {

    /** Hands out scripted bytes for 8-byte draws (user codes), real randomness for everything else. */
    static final class ScriptedUserCodes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient Deque<byte[]> script = new ArrayDeque<>();
        private final SecureRandom real = TestGrants.seeded(1);

        ScriptedUserCodes(byte... fills) {
            for (byte fill : fills) {
                byte[] draw = new byte[8];
                Arrays.fill(draw, fill);
                script.add(draw);
            }
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length == 8 && !script.isEmpty()) {
                System.arraycopy(script.poll(), 0, bytes, 0, 8);
            } else {
                real.nextBytes(bytes);
            }
        }
    }

    @Test
    void secondIssuanceOfTheSameUserCodeRegeneratesAndLeavesTheFirstUntouched() {
        TestGrants t = new TestGrants();
        // byte 0 → 'B' and byte 12 → 'C' in the base-20 charset (accept limit 240, 12 values a character)
        DeviceGrant grant = DeviceGrant.builder().endpoints(TestGrants.ENDPOINTS)
                .store(t.store).attemptLimiter(t.limiter).clientRegistry(t.clients).issuance(Issuance.by(t.jwtIssuer))
                .clock(t.clock).random(new ScriptedUserCodes((byte) 0, (byte) 0, (byte) 12))
                .userCodeKey(TestGrants.USER_CODE_KEY).build();

        TestGrants.Issued first = TestGrants.authorize(grant, "tv", null);
        DeviceAuthorization before = find(t, first);
        TestGrants.Issued second = TestGrants.authorize(grant, "tv", null);

        assertThat(first.userCode()).isEqualTo("BBBB-BBBB");
        assertThat(second.userCode()).isEqualTo("CCCC-CCCC");
        assertThat(find(t, first)).isEqualTo(before);
        assertThat(grant.verification().lookup(TENANT, "BBBB-BBBB", "ip"))
                .isInstanceOfSatisfying(LookupResult.Pending.class, p -> assertThat(p.authorizationId()).isEqualTo(before.id()));
    }

    @Test
    void threeCharacterCodeSpaceWithFiveThousandIssuancesNeverOverwrites() {
        // 20^3 = 8,000 codes, 5,000 issuances: collisions are frequent; every stored code stays unique
        TestGrants t = new TestGrants();
        DeviceGrant grant = t.grant(b -> b.codePolicy(CodePolicy.defaults()
                .withUserCodeFormat(UserCodeFormat.of("BCDFGHJKLMNPQRSTVWXZ", "XXX"))
                .withMaxPendingPerClient(10_000).withMaxPendingPerTenant(10_000).withBruteForceRiskAccepted()));
        Set<String> userCodes = new HashSet<>();
        Map<String, Object> body;
        int issued = 0;
        int exhausted = 0;
        for (int i = 0; i < 5_000; i++) {
            DeviceGrantResponse r = grant.deviceAuthorization(form("client_id", "tv"));
            if (r.status() == 200) {
                body = json(r);
                assertThat(userCodes.add((String) body.get("user_code"))).as("unique user code").isTrue();
                TestGrants.Issued codes = new TestGrants.Issued((String) body.get("device_code"),
                        (String) body.get("user_code"), body);
                assertThat(find(t, codes)).isNotNull();
                issued++;
            } else {
                assertThat(error(r)).isEqualTo("server_error");
                exhausted++;
            }
        }
        assertThat(issued + exhausted).isEqualTo(5_000);
        assertThat(issued).isGreaterThan(4_500);
        assertThat(t.store.countPending(TENANT, t.clock.instant())).isEqualTo(issued);
        // every user code still resolves to the authorization it was issued with
        CodeHasher hasher = new CodeHasher(TestGrants.USER_CODE_KEY);
        for (String code : userCodes) {
            DeviceAuthorization a = t.store.findByUserCodeHash(TENANT, hasher.userCodeHash(code)).orElseThrow();
            assertThat(a.userCodeHash()).isEqualTo(hasher.userCodeHash(code));
        }
    }

    private static DeviceAuthorization find(TestGrants t, TestGrants.Issued issued) {
        return t.store.findByDeviceCodeHash(TENANT, new CodeHasher(TestGrants.USER_CODE_KEY).deviceCodeHash(issued.deviceCode()))
                .orElseThrow();
    }
}
