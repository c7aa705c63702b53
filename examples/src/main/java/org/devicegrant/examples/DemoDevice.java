package org.devicegrant.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import org.devicegrant.device.CancellationToken;
import org.devicegrant.device.DeviceCodes;
import org.devicegrant.device.DeviceFlowClient;
import org.devicegrant.device.DeviceFlowException;
import org.devicegrant.device.PollListener;
import org.devicegrant.device.Sleeper;
import org.devicegrant.device.TokenResult;
import org.devicegrant.qr.QrCodes;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo device: a command-line program that signs in through the device grant against the
 * demo server. {@code java -jar devicegrant-demo.jar device --server http://localhost:8080
 * [--client-id demo-device] [--scope "openid profile"]}.
 *
 * <p>It asks for codes, shows the verification URL and the user code as text and
 * {@code verification_uri_complete} as a QR code, polls until the user decides, and prints the
 * claims of the tokens it got: decoded JSON, never a token itself. Exit codes:
 * {@value #EXIT_OK} tokens received; {@value #EXIT_FAILED} the flow failed (server unreachable,
 * refused, invalid answer); {@value #EXIT_USAGE} bad arguments; {@value #EXIT_DENIED} the user
 * denied ({@code access_denied}); {@value #EXIT_EXPIRED} the code expired
 * ({@code expired_token}); {@value #EXIT_CANCELLED} cancelled (Ctrl+C).
 *
 * <p>An instance runs one flow at a time on the calling thread; it is not shared between threads.
 */
final class DemoDevice {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_DENIED = 3;
    static final int EXIT_EXPIRED = 4;
    /** 128 + SIGINT, what shells report for a program stopped by Ctrl+C. */
    static final int EXIT_CANCELLED = 130;
    static final String DEFAULT_SCOPE = "openid profile";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The command line of the device.
     *
     * @param server   the demo server's base URL, e.g. {@code http://localhost:8080}
     * @param clientId the public client to use
     * @param scope    the scope tokens to ask for
     */
    record Options(URI server, String clientId, List<String> scope) {

        Options {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(clientId, "clientId");
            scope = List.copyOf(scope);
        }

        /**
         * Parses {@code --server URL [--client-id ID] [--scope "A B"]}; {@code --name=value} works too.
         *
         * @return the options, or {@code null} for {@code --help}
         * @throws IllegalArgumentException naming the argument that is missing, unknown or malformed
         */
        static Options parse(String[] args) {
            String server = null;
            String clientId = DemoServer.PUBLIC_CLIENT;
            String scope = DEFAULT_SCOPE;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return null;
                }
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value"
                            : "unknown argument: " + arg);
                }
                switch (name) {
                    case "--server" -> server = value;
                    case "--client-id" -> clientId = value;
                    case "--scope" -> scope = value;
                    default -> throw new IllegalArgumentException("unknown argument: " + name);
                }
            }
            if (server == null) {
                throw new IllegalArgumentException("--server is required, e.g. --server http://localhost:8080");
            }
            URI base;
            try {
                base = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--server must be a URL such as http://localhost:8080, was "
                        + server, e);
            }
            if (!base.isAbsolute() || base.getHost() == null) {
                throw new IllegalArgumentException("--server must be a URL such as http://localhost:8080, was "
                        + server);
            }
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("--client-id must not be blank");
            }
            List<String> tokens = new ArrayList<>(Arrays.asList(scope.trim().split("\\s+")));
            tokens.removeIf(String::isEmpty);
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("--scope must name at least one scope, e.g. \"openid profile\"");
            }
            return new Options(base, clientId, tokens);
        }
    }

    private final PrintStream out;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * @param out     where the device shows everything (UTF-8)
     * @param clock   times the code's expiry
     * @param sleeper waits between polls; {@code null} for the client's default, which blocks and
     *                wakes up at once on cancellation
     */
    DemoDevice(PrintStream out, Clock clock, Sleeper sleeper) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = sleeper;
    }

    static String usage() {
        return "usage: java -jar devicegrant-demo.jar device --server URL [--client-id ID] [--scope \"S1 S2\"]\n"
                + "  defaults: --client-id " + DemoServer.PUBLIC_CLIENT + " --scope \"" + DEFAULT_SCOPE + "\"\n"
                + "  exit codes: " + EXIT_OK + " signed in, " + EXIT_FAILED + " failed, " + EXIT_USAGE
                + " bad arguments, " + EXIT_DENIED + " denied, " + EXIT_EXPIRED + " code expired, "
                + EXIT_CANCELLED + " cancelled";
    }

    /**
     * Runs the device from the command line and exits the process with the flow's exit code.
     * Returns instead after {@code --help}, and after Ctrl+C, which cancels the flow: the JVM is
     * then already shutting down and the shell reports {@value #EXIT_CANCELLED}.
     */
    static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            System.exit(EXIT_USAGE);
            return;
        }
        if (options == null) {
            System.out.println(usage());
            return;
        }
        CancellationToken cancel = new CancellationToken();
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cancel.cancel();
            try {
                // let the flow print that it was cancelled before the JVM halts
                finished.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-device-cancel"));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int exit = new DemoDevice(out, Clock.systemUTC(), null).run(options, cancel);
        finished.countDown();
        if (!cancel.isCancelled()) {
            // after Ctrl+C the JVM is already shutting down, where System.exit would block
            System.exit(exit);
        }
    }

    /**
     * Runs one device flow and returns its exit code. Returns {@link #EXIT_CANCELLED} soon after
     * {@code cancel} is cancelled.
     */
    int run(Options options, CancellationToken cancel) {
        DeviceFlowClient.Builder builder = DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(URI.create(options.server() + DemoServer.DEVICE_AUTHORIZATION_PATH))
                .tokenEndpoint(URI.create(options.server() + DemoServer.TOKEN_PATH))
                .clientId(options.clientId())
                .scope(options.scope().toArray(String[]::new))
                .clock(clock);
        if (sleeper != null) {
            builder.sleeper(sleeper);
        }
        try {
            DeviceFlowClient client = builder.build();
            DeviceCodes authorization = client.start();
            show(authorization);
            TokenResult result = client.await(authorization, this::progress, cancel);
            out.println();
            return report(result);
        } catch (IllegalArgumentException e) {
            out.println("Cannot start: " + e.getMessage());
            return EXIT_USAGE;
        } catch (DeviceFlowException e) {
            out.println();
            out.println("Sign-in failed: " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println();
            out.println("Cancelled.");
            return EXIT_CANCELLED;
        }
    }

    private void show(DeviceCodes authorization) {
        out.println("To sign in this device, visit");
        // RFC 8628 §3.3.1: the verification_uri is still shown as text next to the QR code
        out.println("    " + authorization.verificationUri());
        out.println("and enter the code");
        // RFC 8628 §3.3.1: "the client MUST still display the user_code"
        out.println("    " + authorization.userCode());
        if (authorization.verificationUriComplete() != null) {
            // RFC 8628 §3.3.1: verification_uri_complete MAY be shown non-textually
            out.println("or scan this QR code with your phone (it carries the code):");
            out.print(QrCodes.terminal(authorization.verificationUriComplete().toString()));
        }
        out.println("The code expires in " + describe(authorization.expiresIn()) + ".");
        out.flush();
    }

    private void progress(int attempt, String outcome, Duration nextWait) {
        String state = switch (outcome) {
            case PollListener.AUTHORIZATION_PENDING -> "waiting for you to approve";
            case PollListener.SLOW_DOWN -> "server asked to slow down";
            default -> "no answer from the server";
        };
        out.print("\rPoll " + attempt + ": " + state + "; next check in " + describe(nextWait) + "   ");
        out.flush();
    }

    private int report(TokenResult result) {
        if (result instanceof TokenResult.Success success) {
            out.println("Signed in. Token type " + success.tokenType()
                    + (success.expiresIn() == null ? "" : ", expires in " + describe(success.expiresIn()))
                    + ", scope " + (success.scope().isEmpty() ? "as requested" : String.join(" ", success.scope()))
                    + ", refresh token " + (success.refreshToken() == null ? "none" : "received") + ".");
            out.println("Access token claims:");
            out.println(claims(success.accessToken()));
            if (success.idToken() != null) {
                out.println("ID token claims:");
                out.println(claims(success.idToken()));
            }
            return EXIT_OK;
        }
        if (result instanceof TokenResult.Denied) {
            out.println("Access denied: the request was declined on the verification page. Nothing was signed in.");
            return EXIT_DENIED;
        }
        if (result instanceof TokenResult.Expired) {
            // RFC 8628 §3.5: no automatic restart; the user decides whether to start again
            out.println("The code expired before it was approved. Run the command again for a new code.");
            return EXIT_EXPIRED;
        }
        if (result instanceof TokenResult.Failed failed) {
            out.println("Sign-in failed: the server answered " + failed.error()
                    + (failed.description() == null ? "" : " (" + failed.description() + ")") + ".");
            return EXIT_FAILED;
        }
        out.println("Cancelled.");
        return EXIT_CANCELLED;
    }

    /** The decoded claims of a JWT as indented JSON; an opaque token is described, never printed. */
    private static String claims(String token) {
        JWTClaimsSet set;
        try {
            set = JWTParser.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            set = null;
        }
        if (set == null) {
            return "(not a readable JWT: an opaque or encrypted token has no claims to show)";
        }
        Map<String, Object> claims = new TreeMap<>(set.toJSONObject());
        try {
            return JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            return "(claims not printable as JSON)";
        }
    }

    private static String describe(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        return seconds >= 60 && seconds % 60 == 0 ? seconds / 60 + " min"
                : seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
    }
}
