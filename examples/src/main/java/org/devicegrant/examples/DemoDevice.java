package org.devicegrant.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import org.devicegrant.device.CachedTokens;
import org.devicegrant.device.CancellationToken;
import org.devicegrant.device.DeviceCodes;
import org.devicegrant.device.DeviceFlowClient;
import org.devicegrant.device.DeviceFlowException;
import org.devicegrant.device.PollListener;
import org.devicegrant.device.RevocationResult;
import org.devicegrant.device.Sleeper;
import org.devicegrant.device.TokenCache;
import org.devicegrant.device.TokenResult;
import org.devicegrant.device.ValidToken;
import org.devicegrant.qr.QrCodes;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The demo device: a command-line program that signs in through the device grant against the
 * demo server, and keeps its tokens the way a product's {@code login} command does.
 * {@code java -jar devicegrant-demo.jar device [login|token|logout] --server http://localhost:8080
 * [--client-id demo-device] [--scope "openid profile"] [--token-file PATH]}.
 *
 * <ul>
 *   <li>No subcommand: asks for codes, shows the verification URL and the user code as text and
 *       {@code verification_uri_complete} as a QR code, polls until the user decides, and prints the
 *       claims of the tokens it got: decoded JSON, never a token itself. Keeps no tokens.</li>
 *   <li>{@code login}: the same flow (default scope {@value #LOGIN_SCOPE}: {@code offline_access}
 *       so that the server issues a refresh token), then saves the tokens with
 *       {@link TokenCache#file(Path)}, readable only by the user, to {@code --token-file} or the
 *       file {@link TokenFileLocation} names for the server and client.</li>
 *   <li>{@code token}: prints a valid access token and nothing else on standard output, refreshing
 *       it through {@link ValidToken} when it expires within {@link #TOKEN_MARGIN}; a rotated
 *       refresh token is saved before the access token is printed.</li>
 *   <li>{@code logout}: {@link ValidToken#signOut()}: revokes the refresh token (RFC 7009) and
 *       deletes the token file.</li>
 * </ul>
 *
 * <p>Exit codes: {@value #EXIT_OK} done; {@value #EXIT_FAILED} failed (server unreachable, an
 * OAuth error such as {@code server_error}, an invalid answer, an unreadable token file);
 * {@value #EXIT_USAGE} bad arguments; {@value #EXIT_DENIED} the user denied
 * ({@code access_denied}); {@value #EXIT_EXPIRED} the code expired ({@code expired_token});
 * {@value #EXIT_NOT_SIGNED_IN} not signed in (no token file); {@value #EXIT_REAUTHORIZE} sign in
 * again (the refresh token was refused with {@code invalid_grant}, e.g. after Unlink or
 * revocation, or there is none and the access token expired); {@value #EXIT_CANCELLED} cancelled
 * (Ctrl+C). Failures of the subcommands are one line on standard error, never a stack trace:
 * {@link #main} sets slf4j-simple to log errors only, unless {@value #LOG_LEVEL_PROPERTY} is given
 * (e.g. {@code -D...=debug}; the client logs no token at any level).
 *
 * <p>A token file holds the tokens of one server and client and does not record which: the default
 * location keeps them apart, while {@code --token-file} trusts the user to name the same server
 * each time (a refresh would otherwise send the refresh token to another server).
 *
 * <p>An instance runs one command at a time on the calling thread; it is not shared between threads.
 */
final class DemoDevice {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_DENIED = 3;
    static final int EXIT_EXPIRED = 4;
    static final int EXIT_NOT_SIGNED_IN = 5;
    static final int EXIT_REAUTHORIZE = 6;
    /** 128 + SIGINT, what shells report for a program stopped by Ctrl+C. */
    static final int EXIT_CANCELLED = 130;
    static final String DEFAULT_SCOPE = "openid profile";
    /** {@code login} keeps its tokens, so it asks for a refresh token too. */
    static final String LOGIN_SCOPE = "openid profile offline_access";
    /** {@code token} refreshes an access token that expires within this. */
    static final Duration TOKEN_MARGIN = Duration.ofSeconds(60);
    /** slf4j-simple's level for the device unless set on the command line: failures are the device's one line. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the device does: sign in and show the claims (no subcommand), or one of the token commands. */
    enum Command {
        SIGN_IN(""), LOGIN("login"), TOKEN("token"), LOGOUT("logout");

        final String word;

        Command(String word) {
            this.word = word;
        }

        static Command named(String word) {
            for (Command command : values()) {
                if (command != SIGN_IN && command.word.equals(word)) {
                    return command;
                }
            }
            throw new IllegalArgumentException("unknown subcommand: " + word + " (login, token or logout)");
        }

        /** Whether the command works on a token file. */
        boolean keepsTokens() {
            return this != SIGN_IN;
        }
    }

    /**
     * The command line of the device.
     *
     * @param command   what to do
     * @param server    the demo server's base URL, e.g. {@code http://localhost:8080}
     * @param clientId  the public client to use
     * @param scope     the scope tokens to ask for; empty for {@code token} and {@code logout}
     * @param tokenFile the {@code --token-file}, or {@code null} for the default location
     */
    record Options(Command command, URI server, String clientId, List<String> scope, Path tokenFile) {

        Options {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(clientId, "clientId");
            scope = List.copyOf(scope);
        }

        /** Sign in and show the claims, without a subcommand. */
        Options(URI server, String clientId, List<String> scope) {
            this(Command.SIGN_IN, server, clientId, scope, null);
        }

        /**
         * Parses {@code [login|token|logout] --server URL [--client-id ID] [--scope "A B"]
         * [--token-file PATH]}: the subcommand may stand before, between or after the options, and
         * {@code --name=value} works too.
         *
         * @return the options, or {@code null} for {@code --help}
         * @throws IllegalArgumentException naming the argument that is missing, unknown or malformed
         */
        static Options parse(String[] args) {
            Command command = Command.SIGN_IN;
            String server = null;
            String clientId = DemoServer.PUBLIC_CLIENT;
            String scope = null;
            String tokenFile = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return null;
                }
                if (!arg.startsWith("-") && command == Command.SIGN_IN) {
                    command = Command.named(arg);
                    continue;
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
                    case "--token-file" -> tokenFile = value;
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
            return new Options(command, base, clientId, scope(command, scope), tokenFile(command, tokenFile));
        }

        private static List<String> scope(Command command, String scope) {
            if (command == Command.TOKEN || command == Command.LOGOUT) {
                if (scope != null) {
                    throw new IllegalArgumentException("--scope is for signing in (login, or no subcommand), not for "
                            + command.word);
                }
                return List.of();
            }
            String requested = scope != null ? scope : command == Command.LOGIN ? LOGIN_SCOPE : DEFAULT_SCOPE;
            List<String> tokens = new ArrayList<>(Arrays.asList(requested.trim().split("\\s+")));
            tokens.removeIf(String::isEmpty);
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("--scope must name at least one scope, e.g. \"openid profile\"");
            }
            return tokens;
        }

        private static Path tokenFile(Command command, String tokenFile) {
            if (tokenFile == null) {
                return null;
            }
            if (!command.keepsTokens()) {
                throw new IllegalArgumentException("--token-file is for login, token and logout; without a subcommand"
                        + " the device keeps no tokens");
            }
            try {
                if (!tokenFile.isBlank()) {
                    return Path.of(tokenFile);
                }
            } catch (InvalidPathException e) {
                // reported below
            }
            throw new IllegalArgumentException("--token-file must be a file path, was \"" + tokenFile + "\"");
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Path configHome;

    /**
     * @param out        where the device shows the flow, the claims, and the access token of
     *                   {@code token} (UTF-8)
     * @param err        where {@code login}, {@code token} and {@code logout} report failures
     * @param clock      times the code's expiry and the access token's
     * @param sleeper    waits between polls; {@code null} for the client's default, which blocks and
     *                   wakes up at once on cancellation
     * @param configHome the user's configuration directory ({@link TokenFileLocation#configHome})
     */
    DemoDevice(PrintStream out, PrintStream err, Clock clock, Sleeper sleeper, Path configHome) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = sleeper;
        this.configHome = Objects.requireNonNull(configHome, "configHome");
    }

    static String usage() {
        return "usage: java -jar devicegrant-demo.jar device [login|token|logout] --server URL [--client-id ID]\n"
                + "           [--scope \"S1 S2\"] [--token-file PATH]\n"
                + "  (none)   sign in and print the token claims; keeps no tokens\n"
                + "  login    sign in and save the tokens to the token file, readable only by you\n"
                + "  token    print a valid access token (only the token, on stdout), refreshing it when it\n"
                + "           expires within " + TOKEN_MARGIN.toSeconds() + " s; e.g. curl -H \"Authorization: Bearer"
                + " $(... device token --server URL)\"\n"
                + "  logout   revoke the refresh token (RFC 7009) and delete the token file\n"
                + "  defaults: --client-id " + DemoServer.PUBLIC_CLIENT + "; --scope \"" + DEFAULT_SCOPE
                + "\", for login \"" + LOGIN_SCOPE + "\"\n"
                + "  token file: --token-file PATH, else one file per server and client in\n"
                + "           $XDG_CONFIG_HOME/devicegrant/tokens/ ($XDG_CONFIG_HOME: if absolute, else ~/.config)\n"
                + "  exit codes: " + EXIT_OK + " done, " + EXIT_FAILED + " failed, " + EXIT_USAGE + " bad arguments, "
                + EXIT_DENIED + " denied, " + EXIT_EXPIRED + " code expired, " + EXIT_NOT_SIGNED_IN
                + " not signed in,\n"
                + "           " + EXIT_REAUTHORIZE + " sign in again (refresh refused: revoked, unlinked or expired), "
                + EXIT_CANCELLED + " cancelled";
    }

    /**
     * Runs the device from the command line and exits the process with the command's exit code.
     * Returns instead after {@code --help}, and after Ctrl+C, which cancels the flow: the JVM is
     * then already shutting down and the shell reports {@value #EXIT_CANCELLED}.
     */
    static void main(String[] args) {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "error");
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
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        Path configHome = TokenFileLocation.configHome(System.getenv(), System.getProperty("user.home"));
        int exit = new DemoDevice(out, err, Clock.systemUTC(), null, configHome).run(args, cancel);
        finished.countDown();
        if (!cancel.isCancelled()) {
            // after Ctrl+C the JVM is already shutting down, where System.exit would block
            System.exit(exit);
        }
    }

    /**
     * Parses the command line and runs it: prints the usage for {@code --help} (exit
     * {@value #EXIT_OK}), and a bad argument with the usage on {@code err} (exit {@value #EXIT_USAGE}).
     */
    int run(String[] args, CancellationToken cancel) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(usage());
            return EXIT_USAGE;
        }
        if (options == null) {
            out.println(usage());
            return EXIT_OK;
        }
        return run(options, cancel);
    }

    /**
     * Runs one command and returns its exit code. Returns {@link #EXIT_CANCELLED} soon after
     * {@code cancel} is cancelled.
     */
    int run(Options options, CancellationToken cancel) {
        DeviceFlowClient client;
        try {
            client = client(options);
        } catch (IllegalArgumentException e) {
            (options.command().keepsTokens() ? err : out).println("Cannot start: " + e.getMessage());
            return EXIT_USAGE;
        }
        return switch (options.command()) {
            case SIGN_IN -> signIn(client, cancel, out, this::showClaims);
            case LOGIN -> signIn(client, cancel, err, success -> save(success, options));
            case TOKEN -> token(client, options);
            case LOGOUT -> logout(client, options);
        };
    }

    /** The file that {@code login}, {@code token} and {@code logout} use. */
    Path tokenFile(Options options) {
        return options.tokenFile() != null ? options.tokenFile()
                : TokenFileLocation.tokenFile(configHome, options.server(), options.clientId());
    }

    private DeviceFlowClient client(Options options) {
        DeviceFlowClient.Builder builder = DeviceFlowClient.builder()
                .deviceAuthorizationEndpoint(URI.create(options.server() + DemoServer.DEVICE_AUTHORIZATION_PATH))
                .tokenEndpoint(URI.create(options.server() + DemoServer.TOKEN_PATH))
                .revocationEndpoint(URI.create(options.server() + DemoServer.REVOCATION_PATH))
                .clientId(options.clientId())
                .clock(clock);
        if (!options.scope().isEmpty()) {
            builder.scope(options.scope().toArray(String[]::new));
        }
        if (sleeper != null) {
            builder.sleeper(sleeper);
        }
        return builder.build();
    }

    /**
     * One device flow: shows the codes, polls, and hands the tokens to {@code signedIn}; reports
     * a flow that ended without tokens on {@code failures}. Returns the exit code.
     */
    private int signIn(DeviceFlowClient client, CancellationToken cancel, PrintStream failures,
            ToIntFunction<TokenResult.Success> signedIn) {
        TokenResult result;
        try {
            result = awaitTokens(client, cancel);
        } catch (DeviceFlowException e) {
            failures.println("Sign-in failed: " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.println("Cancelled.");
            return EXIT_CANCELLED;
        }
        return result instanceof TokenResult.Success success ? signedIn.applyAsInt(success) : failure(result, failures);
    }

    /** {@code login}: the tokens of the flow saved to the token file. */
    private int save(TokenResult.Success success, Options options) {
        Path file = tokenFile(options);
        // CachedTokens.of: the instant the answer arrived stands for the issue time; the margin of token covers it
        CachedTokens tokens = CachedTokens.of(success, clock.instant());
        try {
            TokenCache.file(file).save(tokens);
        } catch (IOException e) {
            err.println("Signed in, but the tokens could not be saved to " + file + ": " + describe(e));
            return EXIT_FAILED;
        }
        String subject = subject(success.accessToken());
        out.println("Signed in" + (subject == null ? "" : " as " + subject) + ". Scope "
                + (success.scope().isEmpty() ? "as requested" : String.join(" ", new TreeSet<>(success.scope())))
                + (success.expiresIn() == null ? "" : "; the access token expires in " + describe(success.expiresIn()))
                + ".");
        out.println(success.refreshToken() == null
                ? "No refresh token was issued (offline_access not granted): sign in again when the access token expires."
                : "A refresh token was issued: `device token` renews the access token when it expires.");
        out.println("Tokens saved to " + file + " (readable only by you).");
        return EXIT_OK;
    }

    /** {@code token}: a valid access token on {@code out}, and nothing else there. */
    private int token(DeviceFlowClient client, Options options) {
        Path file = tokenFile(options);
        ValidToken.Result result;
        try {
            result = ValidToken.of(client, TokenCache.file(file), TOKEN_MARGIN).get();
        } catch (DeviceFlowException e) {
            err.println("No token: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("No token: " + describe(e));
            return EXIT_FAILED;
        }
        if (result instanceof ValidToken.Valid valid) {
            out.println(valid.accessToken());
            return EXIT_OK;
        }
        if (result instanceof ValidToken.NotSignedIn) {
            err.println("Not signed in to " + options.server() + " as " + options.clientId() + " (no tokens in " + file
                    + "). Sign in with: " + loginCommand(options));
            return EXIT_NOT_SIGNED_IN;
        }
        if (result instanceof ValidToken.ReauthorizationNeeded again) {
            err.println("Sign in again: the server no longer accepts this device's sign-in"
                    + (again.reason() == null ? "" : " (" + again.reason() + ")") + ". Run: " + loginCommand(options));
            return EXIT_REAUTHORIZE;
        }
        ValidToken.Failed failed = (ValidToken.Failed) result;
        err.println("No token: the token endpoint answered " + failed.error()
                + (failed.description() == null ? "" : " (" + failed.description() + ")") + "; the tokens are kept.");
        return EXIT_FAILED;
    }

    /** {@code logout}: the grant revoked, then the token file deleted. */
    private int logout(DeviceFlowClient client, Options options) {
        Path file = tokenFile(options);
        Optional<RevocationResult> result;
        try {
            result = ValidToken.of(client, TokenCache.file(file), TOKEN_MARGIN).signOut();
        } catch (DeviceFlowException e) {
            err.println("Sign-out failed: " + e.getMessage() + ". The tokens are kept in " + file + "; try again.");
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("Sign-out failed: " + describe(e));
            return EXIT_FAILED;
        }
        if (result.isEmpty()) {
            err.println("Not signed in to " + options.server() + " as " + options.clientId() + " (no tokens in " + file
                    + "): nothing to sign out.");
            return EXIT_NOT_SIGNED_IN;
        }
        if (result.get() instanceof RevocationResult.Failed failed) {
            err.println("Sign-out failed: the revocation endpoint answered " + failed.error()
                    + (failed.description() == null ? "" : " (" + failed.description() + ")") + ". The tokens are kept in "
                    + file + ".");
            return EXIT_FAILED;
        }
        out.println("Signed out: the server revoked this device's sign-in, and " + file + " is deleted.");
        return EXIT_OK;
    }

    /** The command that signs in again with the same server, client and token file. */
    private static String loginCommand(Options options) {
        return "java -jar devicegrant-demo.jar device login --server " + options.server()
                + (options.clientId().equals(DemoServer.PUBLIC_CLIENT) ? "" : " --client-id " + options.clientId())
                + (options.tokenFile() == null ? "" : " --token-file " + options.tokenFile());
    }

    /** Starts a flow, shows the codes, and polls until it ends; then ends the progress line. */
    private TokenResult awaitTokens(DeviceFlowClient client, CancellationToken cancel)
            throws DeviceFlowException, InterruptedException {
        DeviceCodes authorization = client.start();
        show(authorization);
        try {
            return client.await(authorization, this::progress, cancel);
        } finally {
            out.println();
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

    private int showClaims(TokenResult.Success success) {
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

    /** A flow that ended without tokens, reported on {@code to}: its exit code. */
    private static int failure(TokenResult result, PrintStream to) {
        if (result instanceof TokenResult.Denied) {
            to.println("Access denied: the request was declined on the verification page. Nothing was signed in.");
            return EXIT_DENIED;
        }
        if (result instanceof TokenResult.Expired) {
            // RFC 8628 §3.5: no automatic restart; the user decides whether to start again
            to.println("The code expired before it was approved. Run the command again for a new code.");
            return EXIT_EXPIRED;
        }
        if (result instanceof TokenResult.Failed failed) {
            to.println("Sign-in failed: the server answered " + failed.error()
                    + (failed.description() == null ? "" : " (" + failed.description() + ")") + ".");
            return EXIT_FAILED;
        }
        to.println("Cancelled.");
        return EXIT_CANCELLED;
    }

    /** The decoded claims of a JWT as indented JSON; an opaque token is described, never printed. */
    private static String claims(String token) {
        JWTClaimsSet set = claimsSet(token);
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

    /** The {@code sub} of a JWT access token, or {@code null} for an opaque one. */
    private static String subject(String token) {
        JWTClaimsSet set = claimsSet(token);
        return set == null ? null : set.getSubject();
    }

    private static JWTClaimsSet claimsSet(String token) {
        try {
            return JWTParser.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            return null;
        }
    }

    /** An I/O failure in one line: its message names the file, never a token. */
    private static String describe(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // a subclass such as AccessDeniedException says in its name what happened to the file in its message
        return e.getClass() == IOException.class ? message : message + " (" + e.getClass().getSimpleName() + ")";
    }

    private static String describe(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        return seconds >= 60 && seconds % 60 == 0 ? seconds / 60 + " min"
                : seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
    }
}
