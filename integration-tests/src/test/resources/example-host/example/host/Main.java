package example.host;

import java.net.URI;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.devicegrant.Issuance;
import org.devicegrant.DeviceGrant;
import org.devicegrant.Endpoints;
import org.devicegrant.LookupResult;
import org.devicegrant.clientauth.InMemoryClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.device.CancellationToken;
import org.devicegrant.device.DeviceCodes;
import org.devicegrant.device.DeviceFlowClient;
import org.devicegrant.device.HttpResult;
import org.devicegrant.device.PollListener;
import org.devicegrant.device.TokenResult;
import org.devicegrant.http.DeviceGrantRequest;
import org.devicegrant.http.DeviceGrantResponse;
import org.devicegrant.qr.QrCodes;
import org.devicegrant.storage.inmemory.InMemoryAttemptLimiter;
import org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore;
import org.devicegrant.token.JwtTokenIssuer;

/**
 * The whole flow on the module path: a {@link DeviceGrant} and a {@link DeviceFlowClient} whose
 * requests go straight to the grant instead of over HTTP, then a QR code. Prints which modules ran,
 * what the PNG is, a host claim of the ID token and the token type; never a code or a token.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        URI issuer = URI.create("https://id.example.com");
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
        SecureRandom random = new SecureRandom();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"), random);
        byte[] userCodeKey = new byte[32];
        random.nextBytes(userCodeKey);

        DeviceGrant grant = DeviceGrant.builder()
                .endpoints(Endpoints.of(issuer, issuer.resolve("/device")))
                .store(InMemoryDeviceAuthorizationStore.create())
                .attemptLimiter(new InMemoryAttemptLimiter())
                .clientRegistry(InMemoryClientRegistry.builder()
                        .client("default", OAuthClient.builder("tv").allowedScopes(Set.of("openid")).build())
                        .build())
                .issuance(Issuance.by(JwtTokenIssuer.builder()
                        .issuer(issuer).signingKey(ec.generateKeyPair(), "host-key")
                        .clock(clock).random(random)
                        .build()))
                .userCodeKey(userCodeKey)
                .clock(clock).random(random)
                .build();

        DeviceFlowClient device = DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(issuer.resolve("/device_authorization"))
                .tokenEndpoint(issuer.resolve("/token"))
                .clientId("tv").scope("openid")
                .transport((uri, headers, body) -> {
                    DeviceGrantRequest.Builder request = DeviceGrantRequest.builder()
                            .body(body.getBytes(StandardCharsets.UTF_8));
                    headers.forEach(request::header);
                    DeviceGrantResponse response = uri.getPath().equals("/token")
                            ? grant.token(request.build()) : grant.deviceAuthorization(request.build());
                    return new HttpResult(response.status(), response.headers(), response.body());
                })
                .clock(clock).sleeper(wait -> { })
                .build();

        DeviceCodes codes = device.start();
        LookupResult found = grant.verification().lookup("default", codes.userCode(), "203.0.113.7");
        if (!(found instanceof LookupResult.Pending pending)) {
            throw new IllegalStateException("lookup: " + found);
        }
        grant.verification().approve("default", pending.userCode(), "alice", Set.of("openid"), Map.of("locale", "de"), null);
        TokenResult result = device.await(codes, PollListener.none(), new CancellationToken());
        if (!(result instanceof TokenResult.Success success)) {
            throw new IllegalStateException("token poll: " + result);
        }

        System.out.println("modules: " + Main.class.getModule().getName()
                + " " + DeviceGrant.class.getModule().getName()
                + " " + InMemoryDeviceAuthorizationStore.class.getModule().getName()
                + " " + DeviceFlowClient.class.getModule().getName());
        System.out.println("qr=" + new String(QrCodes.png(codes.verificationUri().toString(), 200), 1, 3,
                StandardCharsets.US_ASCII));
        System.out.println("id_token locale=" + SignedJWT.parse(success.idToken()).getJWTClaimsSet().getStringClaim("locale"));
        System.out.println("token_type=" + success.tokenType());
    }
}
