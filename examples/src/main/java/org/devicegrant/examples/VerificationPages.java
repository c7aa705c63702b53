package org.devicegrant.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.devicegrant.DecisionResult;
import org.devicegrant.DeviceGrant;
import org.devicegrant.DeviceMetadata;
import org.devicegrant.LookupResult;
import org.devicegrant.clientauth.ClientRegistry;
import org.devicegrant.clientauth.OAuthClient;
import org.devicegrant.code.UserCodeFormat;
import org.devicegrant.qr.QrCodes;
import org.devicegrant.storage.LinkedDevice;
import org.devicegrant.storage.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The verification pages of one tenant under {@code /device} or {@code /orgs/{org}/device}
 * (RFC 8628 §3.3): enter the code, sign in, consent, done; and {@code devices}, the signed-in
 * user's linked devices with Unlink. Plain HTML forms, no script, nothing from another origin.
 * An organisation's pages name it and ask the user to check that it is the right one.
 *
 * <p>A GET never changes an authorization: it renders, or at most looks a code up; without a
 * cookie it keeps nothing on the server either ({@link Sessions}). Every POST carries the
 * session's CSRF token. Approve and deny act only on the code this session looked up, so a
 * forged POST cannot approve another code; Unlink only on a device of the signed-in user.
 * Sign-in is budgeted per source address and username ({@link DemoAccounts}). Thread-safe.
 */
final class VerificationPages implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(VerificationPages.class);
    static final String CSRF = "csrf";
    static final int MAX_FORM_BYTES = 16 * 1024;
    static final int QR_SIZE_PX = 320;
    static final String DEVICE_WARNING =
            "Only approve if you started this on a device you own and it shows this code.";
    static final String WRONG_ORGANISATION_HINT =
            "Check that you are on the page of the organisation your device names: codes of one organisation "
            + "are not valid on another's page.";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> SCOPE_DESCRIPTIONS = Map.of(
            "openid", "Confirm who you are (your user id)",
            "profile", "Your name",
            "email", "Your email address",
            "offline_access", "Stay connected while you are away (a refresh token)");

    private final DeviceGrant grant;
    private final DemoTenant demoTenant;
    private final String tenant;
    private final String base;
    private final UserCodeFormat userCodeFormat;
    private final Function<String, URI> verificationUriComplete;
    private final Sessions sessions;
    private final DemoAccounts accounts;
    private final ClientRegistry clients;

    /**
     * @param grant the tenant's grant, keeping grants (its linked devices are the active ones)
     * @param demoTenant whose pages these are: their path, user-code format and organisation
     */
    VerificationPages(DeviceGrant grant, DemoTenant demoTenant, Function<String, URI> verificationUriComplete,
            Sessions sessions, DemoAccounts accounts, ClientRegistry clients) {
        this.grant = Objects.requireNonNull(grant, "grant");
        this.demoTenant = Objects.requireNonNull(demoTenant, "demoTenant");
        this.tenant = demoTenant.id();
        this.base = demoTenant.verificationPath();
        this.userCodeFormat = demoTenant.userCodeFormat();
        this.verificationUriComplete = Objects.requireNonNull(verificationUriComplete, "verificationUriComplete");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (StoreUnavailableException e) {
            LOG.warn("verification page: store unavailable ({})", e.getClass().getSimpleName());
            message(exchange, 503, "Try again later", "The service is unavailable. Please try again shortly.");
        } catch (IllegalStateException e) {
            LOG.warn("verification page refused: {}", e.getClass().getSimpleName());
            message(exchange, 503, "Try again later", "The service is busy. Please try again shortly.");
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String page = path.equals(base) ? "" : path.startsWith(base + "/") ? path.substring(base.length()) : "?";
        switch (page) {
            case "" -> dispatch(exchange, this::showEntry, this::submitCode);
            case "/login" -> dispatch(exchange, this::showLogin, this::submitLogin);
            case "/consent" -> dispatch(exchange, this::showConsent, this::submitDecision);
            case "/devices" -> dispatch(exchange, e -> showDevices(e, null), this::unlink);
            case "/qr.png", "/qr.svg" -> dispatch(exchange, e -> qr(e, path.endsWith(".png")), null);
            case "/style.css" -> dispatch(exchange, e -> Pages.send(e, 200, "text/css; charset=utf-8",
                    Pages.STYLE.getBytes(StandardCharsets.UTF_8)), null);
            default -> message(exchange, 404, "Page not found", "There is no page at this address.");
        }
    }

    /** One page's handler. */
    @FunctionalInterface
    private interface Page {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** GET (and HEAD) to {@code onGet}, POST to {@code onPost} when the page takes one, else 405. */
    private void dispatch(HttpExchange exchange, Page onGet, Page onPost) throws IOException {
        if (isGet(exchange)) {
            onGet.handle(exchange);
        } else if (onPost != null && "POST".equals(exchange.getRequestMethod())) {
            onPost.handle(exchange);
        } else {
            methodNotAllowed(exchange, onPost != null ? "GET, HEAD, POST" : "GET, HEAD");
        }
    }

    // ---- 1. enter the code ----

    private void showEntry(HttpExchange exchange) throws IOException {
        Sessions.Session session = session(exchange);
        // RFC 8628 §3.3.1: arriving through verification_uri_complete, the code is shown and
        // the user still confirms that the device shows the same one. Only a well-formed code is echoed.
        Optional<String> linked = query(exchange).single("user_code")
                .flatMap(userCodeFormat::normalize).map(userCodeFormat::display);
        renderEntry(exchange, session, 200, linked.orElse(""), linked.isPresent(), null);
    }

    private void submitCode(HttpExchange exchange) throws IOException {
        Optional<Post> post = acceptPost(exchange);
        if (post.isEmpty()) {
            return;
        }
        FormData form = post.get().form();
        Sessions.Session session = post.get().session();
        String input = form.single("user_code").orElse("");
        boolean fromLink = form.single("from_link").isPresent();
        if (fromLink && !"yes".equals(form.single("code_matches").orElse(""))) {
            // RFC 8628 §5.4: a code that came in a link is only used once the user says the device shows it
            String shown = userCodeFormat.normalize(input).map(userCodeFormat::display).orElse("");
            renderEntry(exchange, session, 400, shown, !shown.isEmpty(),
                    "Please confirm that your device shows this code.");
            return;
        }
        LookupResult result = grant.verification().lookup(tenant, input, attemptKey(exchange));
        if (result instanceof LookupResult.Pending pending) {
            save(exchange, session.withUserCode(userCodeFormat.normalize(pending.userCode()).orElse(pending.userCode())));
            Pages.redirect(exchange, base + "/consent");
            return;
        }
        Problem problem = problem(result);
        if (problem.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(problem.retryAfter()));
        }
        String message = result instanceof LookupResult.NotFound && demoTenant.isOrganisation()
                ? problem.message() + " " + WRONG_ORGANISATION_HINT : problem.message();
        renderEntry(exchange, session, problem.status(), "", false, message);
    }

    private void renderEntry(HttpExchange exchange, Sessions.Session session, int status, String code,
            boolean fromLink, String message) throws IOException {
        StringBuilder body = new StringBuilder("<h1>Connect a device</h1>\n");
        appendOrganisation(body);
        appendMessage(body, message);
        if (fromLink) {
            body.append("<p>You opened a link that carries a code. Check that your device shows exactly this code:</p>\n")
                    .append("<p class=\"code\">").append(Pages.escape(code)).append("</p>\n");
        } else {
            body.append("<p>Enter the code shown on your device.</p>\n");
        }
        body.append("<form method=\"post\" action=\"").append(Pages.escape(base)).append("\">\n")
                .append(csrfInput(session))
                .append("<label for=\"user_code\">Code</label>\n")
                .append("<input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"").append(Pages.escape(code))
                .append("\" maxlength=\"").append(UserCodeFormat.MAX_INPUT_LENGTH)
                .append("\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" required>\n");
        if (fromLink) {
            body.append("<input type=\"hidden\" name=\"from_link\" value=\"1\">\n")
                    .append("<label><input type=\"checkbox\" name=\"code_matches\" value=\"yes\" required> ")
                    .append("My device shows this code</label>\n");
        }
        body.append("<div class=\"buttons\"><button type=\"submit\">Continue</button></div>\n</form>\n");
        if (session.signedIn()) {
            body.append("<p><a href=\"").append(Pages.escape(base)).append("/devices\">Your devices</a></p>\n");
        }
        Pages.html(exchange, status, "Connect a device", body.toString());
    }

    // ---- 2. sign in ----

    private void showLogin(HttpExchange exchange) throws IOException {
        Sessions.Session session = session(exchange);
        if (session.signedIn()) {
            Pages.redirect(exchange, session.userCode() != null ? base + "/consent" : base);
            return;
        }
        renderLogin(exchange, session, 200, null);
    }

    private void submitLogin(HttpExchange exchange) throws IOException {
        Optional<Post> post = acceptPost(exchange);
        if (post.isEmpty()) {
            return;
        }
        FormData form = post.get().form();
        String source = attemptKey(exchange);
        DemoAccounts.SignIn result = accounts.signIn(form.single("username").orElse(null),
                form.single("password").orElse(null), source);
        if (result instanceof DemoAccounts.Throttled throttled) {
            long seconds = retryAfterSeconds(throttled.retryAfter());
            exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            renderLogin(exchange, post.get().session(), 429, "Too many failed sign-ins from your address. Try again in "
                    + seconds + " seconds.");
            return;
        }
        if (!(result instanceof DemoAccounts.SignedIn signedInAs)) {
            renderLogin(exchange, post.get().session(), 401, "Wrong username or password.");
            return;
        }
        Sessions.Session signedIn = sessions.signIn(post.get().session(), signedInAs.account().username(), source);
        exchange.getResponseHeaders().add("Set-Cookie", sessions.cookie(signedIn));
        Pages.redirect(exchange, signedIn.userCode() != null ? base + "/consent" : base);
    }

    private void renderLogin(HttpExchange exchange, Sessions.Session session, int status, String message)
            throws IOException {
        StringBuilder body = new StringBuilder("<h1>Sign in</h1>\n");
        appendOrganisation(body);
        appendMessage(body, message);
        body.append("<form method=\"post\" action=\"").append(Pages.escape(base)).append("/login\">\n")
                .append(csrfInput(session))
                .append("<label for=\"username\">Username</label>\n")
                .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required>\n")
                .append("<label for=\"password\">Password</label>\n")
                .append("<input type=\"password\" id=\"password\" name=\"password\" "
                        + "autocomplete=\"current-password\" required>\n")
                .append("<div class=\"buttons\"><button type=\"submit\">Sign in</button></div>\n</form>\n")
                .append("<p>Demo accounts: ");
        boolean first = true;
        for (String username : accounts.usernames()) {
            body.append(first ? "" : ", ").append(Pages.escape(username)).append(" / ").append(Pages.escape(username));
            first = false;
        }
        body.append("</p>\n");
        Pages.html(exchange, status, "Sign in", body.toString());
    }

    // ---- 3. consent ----

    private void showConsent(HttpExchange exchange) throws IOException {
        Sessions.Session session = session(exchange);
        if (session.userCode() == null) {
            Pages.redirect(exchange, base);
            return;
        }
        if (!session.signedIn()) {
            Pages.redirect(exchange, base + "/login");
            return;
        }
        LookupResult result = grant.verification().lookup(tenant, session.userCode(), attemptKey(exchange));
        if (result instanceof LookupResult.Pending pending) {
            renderConsent(exchange, session, pending);
            return;
        }
        Problem problem = problem(result);
        message(exchange, problem.status(), problem.title(), problem.message());
    }

    private void renderConsent(HttpExchange exchange, Sessions.Session session, LookupResult.Pending pending)
            throws IOException {
        StringBuilder body = new StringBuilder("<h1>Allow a device to use your account?</h1>\n");
        appendOrganisation(body);
        body.append("<p>Signed in as <strong>").append(Pages.escape(session.subject())).append("</strong>.</p>\n")
                // RFC 8628 §5.4: tell the user a device is being authorised, ask that it is theirs
                .append("<p>A device is asking for access to your account. Does it show this code?</p>\n")
                // RFC 8628 §3.3.1: show the user code to compare with the device
                .append("<p class=\"code\">").append(Pages.escape(pending.userCode())).append("</p>\n")
                .append("<p class=\"warning\">").append(Pages.escape(DEVICE_WARNING)).append("</p>\n")
                .append("<dl>\n<dt>Application</dt><dd>").append(Pages.escape(pending.clientName()))
                .append(" (").append(Pages.escape(pending.clientId())).append(")</dd>\n")
                // RFC 8628 §5.4: show what is known of the device, for remote-phishing awareness
                .append("<dt>Device</dt><dd>");
        appendDevice(body, pending.deviceMetadata());
        body.append("</dd>\n<dt>Requested at</dt><dd>").append(Pages.escape(WHEN.format(pending.requestedAt())))
                .append("</dd>\n<dt>Code expires in</dt><dd>").append(Pages.escape(describe(pending.expiresIn())))
                .append("</dd>\n</dl>\n")
                .append("<form method=\"post\" action=\"").append(Pages.escape(base)).append("/consent\">\n")
                .append(csrfInput(session))
                .append("<input type=\"hidden\" name=\"user_code\" value=\"").append(Pages.escape(pending.userCode()))
                .append("\">\n<fieldset><legend>It asks for</legend>\n");
        for (String scope : new TreeSet<>(pending.requestedScopes())) {
            body.append("<label><input type=\"checkbox\" name=\"scope\" value=\"").append(Pages.escape(scope))
                    .append("\" checked> <strong>").append(Pages.escape(scope)).append("</strong>: ")
                    .append(Pages.escape(SCOPE_DESCRIPTIONS.getOrDefault(scope, "Access named " + scope)))
                    .append("</label>\n");
        }
        if (pending.requestedScopes().isEmpty()) {
            body.append("<p>No particular access beyond your user id.</p>\n");
        }
        // RFC 10027: declining is as prominent as approving; Deny comes first, so Enter denies
        body.append("</fieldset>\n<div class=\"buttons\">")
                .append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>")
                .append("<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>")
                .append("</div>\n</form>\n");
        Pages.html(exchange, 200, "Allow a device?", body.toString());
    }

    private void submitDecision(HttpExchange exchange) throws IOException {
        Optional<Post> post = acceptPost(exchange);
        if (post.isEmpty()) {
            return;
        }
        FormData form = post.get().form();
        Sessions.Session session = post.get().session();
        if (!session.signedIn()) {
            message(exchange, 403, "Sign in first", "Sign in before you approve or deny a device.");
            return;
        }
        // act only on the code this very session looked up: a forged POST cannot name another code
        Optional<String> posted = form.single("user_code").flatMap(userCodeFormat::normalize);
        if (session.userCode() == null || posted.isEmpty() || !sameCode(posted.get(), session.userCode())) {
            message(exchange, 403, "Request refused",
                    "This code was not checked in this browser session. Enter the code again.");
            return;
        }
        String decision = form.single("decision").orElse("");
        DecisionResult result;
        if (decision.equals("approve")) {
            Set<String> scopes = Set.copyOf(form.all("scope"));
            result = grant.verification().approve(tenant, session.userCode(), session.subject(), scopes,
                    claims(session.subject(), scopes), session.authTime());
        } else if (decision.equals("deny")) {
            result = grant.verification().deny(tenant, session.userCode(), session.subject());
        } else {
            message(exchange, 400, "Choose Approve or Deny", "The form did not say whether to approve or deny.");
            return;
        }
        if (result instanceof DecisionResult.Recorded) {
            save(exchange, session.withUserCode(null));
            // RFC 8628 §3.3: tell the user to return to the device
            if (decision.equals("approve")) {
                Pages.html(exchange, 200, "Device connected", "<h1>Device connected</h1>\n"
                        + "<p>You can return to your device now.</p>");
            } else {
                Pages.html(exchange, 200, "Access denied", "<h1>Access denied</h1>\n"
                        + "<p>The device was not given access to your account. You can return to your device now.</p>");
            }
            return;
        }
        Problem problem = problem(result);
        if (problem.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(problem.retryAfter()));
        }
        message(exchange, problem.status(), problem.title(), problem.message());
    }

    private Map<String, Object> claims(String subject, Set<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        accounts.find(subject).ifPresent(account -> {
            if (scopes.contains("profile")) {
                claims.put("name", account.name());
                claims.put("preferred_username", account.username());
            }
            if (scopes.contains("email")) {
                claims.put("email", account.email());
                claims.put("email_verified", Boolean.TRUE);
            }
        });
        return claims;
    }

    // ---- linked devices ----

    private void showDevices(HttpExchange exchange, String message) throws IOException {
        Sessions.Session session = session(exchange);
        if (!session.signedIn()) {
            Pages.redirect(exchange, base + "/login");
            return;
        }
        renderDevices(exchange, session, 200, message);
    }

    private void renderDevices(HttpExchange exchange, Sessions.Session session, int status, String message)
            throws IOException {
        List<LinkedDevice> devices = grant.linkedDevices().list(tenant, session.subject());
        StringBuilder body = new StringBuilder("<h1>Your devices</h1>\n");
        appendOrganisation(body);
        appendMessage(body, message);
        body.append("<p>Signed in as <strong>").append(Pages.escape(session.subject())).append("</strong>. ")
                .append("These devices can use your account. Unlink any you do not recognise: its tokens stop")
                .append(" working, and its next refresh fails.</p>\n");
        if (devices.isEmpty()) {
            body.append("<p>No devices are linked to your account.</p>\n");
        }
        for (LinkedDevice device : devices) {
            String clientName = clients.find(tenant, device.clientId()).map(OAuthClient::name)
                    .orElse(device.clientId());
            body.append("<section class=\"device\">\n<h2>").append(Pages.escape(clientName)).append(" (")
                    .append(Pages.escape(device.clientId())).append(")</h2>\n<dl>\n<dt>Device</dt><dd>");
            appendDevice(body, device.deviceMetadata());
            body.append("</dd>\n<dt>Access</dt><dd>")
                    .append(Pages.escape(device.scopes().isEmpty() ? "your user id only"
                            : String.join(" ", new TreeSet<>(device.scopes()))))
                    .append("</dd>\n<dt>First used</dt><dd>").append(Pages.escape(WHEN.format(device.firstUsed())))
                    .append("</dd>\n<dt>Last used</dt><dd>").append(Pages.escape(WHEN.format(device.lastUsed())))
                    .append("</dd>\n</dl>\n<form method=\"post\" action=\"").append(Pages.escape(base))
                    .append("/devices\">\n").append(csrfInput(session))
                    .append("<input type=\"hidden\" name=\"authorization_id\" value=\"")
                    .append(Pages.escape(device.authorizationId())).append("\">\n")
                    .append("<div class=\"buttons\"><button type=\"submit\">Unlink</button></div>\n</form>\n")
                    .append("</section>\n");
        }
        body.append("<p><a href=\"").append(Pages.escape(base)).append("\">Connect another device</a></p>\n");
        Pages.html(exchange, status, "Your devices", body.toString());
    }

    private void unlink(HttpExchange exchange) throws IOException {
        Optional<Post> post = acceptPost(exchange);
        if (post.isEmpty()) {
            return;
        }
        FormData form = post.get().form();
        Sessions.Session session = post.get().session();
        if (!session.signedIn()) {
            message(exchange, 403, "Sign in first", "Sign in before you unlink a device.");
            return;
        }
        Optional<String> authorizationId = form.single("authorization_id");
        // LinkedDevices#unlink acts only on a device of this subject: another user's id changes nothing
        if (authorizationId.isEmpty()
                || !grant.linkedDevices().unlink(tenant, session.subject(), authorizationId.get())) {
            message(exchange, 403, "Request refused", "That device is not linked to your account. Nothing was changed.");
            return;
        }
        renderDevices(exchange, session, 200, "Device unlinked. Its tokens no longer work, and its next refresh fails:"
                + " it must be signed in again to use your account.");
    }

    // ---- QR codes of verification_uri_complete ----

    private void qr(HttpExchange exchange, boolean png) throws IOException {
        Optional<String> canonical = query(exchange).single("user_code").flatMap(userCodeFormat::normalize);
        if (canonical.isEmpty()) {
            message(exchange, 400, "Not a code", "A QR code is only drawn for a well-formed user code.");
            return;
        }
        String text = verificationUriComplete.apply(userCodeFormat.display(canonical.get())).toString();
        if (png) {
            Pages.send(exchange, 200, "image/png", QrCodes.png(text, QR_SIZE_PX));
        } else {
            Pages.send(exchange, 200, "image/svg+xml; charset=utf-8", QrCodes.svg(text).getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---- shared ----

    /** What to tell the user about a failed lookup or decision. */
    private record Problem(int status, String title, String message, Long retryAfter) {
    }

    private static Problem problem(LookupResult result) {
        if (result instanceof LookupResult.RateLimited limited) {
            return rateLimited(limited.retryAfter());
        }
        if (result instanceof LookupResult.Expired) {
            return expired();
        }
        if (result instanceof LookupResult.AlreadyUsed) {
            return alreadyUsed();
        }
        return notFound();
    }

    private static Problem problem(DecisionResult result) {
        if (result instanceof DecisionResult.RateLimited limited) {
            return rateLimited(limited.retryAfter());
        }
        if (result instanceof DecisionResult.Expired) {
            return expired();
        }
        if (result instanceof DecisionResult.AlreadyUsed) {
            return alreadyUsed();
        }
        if (result instanceof DecisionResult.ScopesNotRequested) {
            return new Problem(400, "Access not requested",
                    "You granted access the device did not ask for. Nothing was changed.", null);
        }
        return notFound();
    }

    private static Problem rateLimited(Duration retryAfter) {
        long seconds = retryAfterSeconds(retryAfter);
        return new Problem(429, "Too many attempts", "Too many attempts; try again in " + seconds + " seconds.",
                seconds);
    }

    /** Whole seconds, rounded up, at least one: what Retry-After and the page say. */
    private static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    private static Problem expired() {
        return new Problem(410, "Code expired", "This code has expired. Start again on your device to get a new code.",
                null);
    }

    private static Problem alreadyUsed() {
        return new Problem(410, "Code already used",
                "This code has already been used. Start again on your device if you need a new code.", null);
    }

    private static Problem notFound() {
        return new Problem(400, "Code not valid", "That code is not valid. Check the code on your device and try again.",
                null);
    }

    /** An organisation's pages name it and ask the user to check it is the one their device named. */
    private void appendOrganisation(StringBuilder body) {
        if (demoTenant.isOrganisation()) {
            body.append("<p class=\"organisation\">Organisation: <strong>").append(Pages.escape(demoTenant.name()))
                    .append("</strong> (").append(Pages.escape(demoTenant.id())).append(")</p>\n")
                    .append("<p class=\"warning\">").append(Pages.escape(WRONG_ORGANISATION_HINT)).append("</p>\n");
        }
    }

    /** What is known of a device, every value escaped: the device chose them (RFC 8628 §5.4). */
    private static void appendDevice(StringBuilder body, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            body.append("Nothing is known about the device.");
            return;
        }
        Map<String, String> rest = new TreeMap<>(metadata);
        appendEntry(body, "Device says", rest.remove(DeviceMetadata.DESCRIPTION));
        appendEntry(body, "IP address", rest.remove(DeviceMetadata.IP_ADDRESS));
        appendEntry(body, "User-Agent", rest.remove(DeviceMetadata.USER_AGENT));
        rest.forEach((name, value) -> appendEntry(body, name, value));
    }

    private static void appendEntry(StringBuilder body, String label, String value) {
        if (value != null) {
            body.append(Pages.escape(label)).append(": <span class=\"metadata\">").append(Pages.escape(value))
                    .append("</span><br>");
        }
    }

    private void message(HttpExchange exchange, int status, String title, String message) throws IOException {
        Pages.message(exchange, status, title, message, base);
    }

    private static void appendMessage(StringBuilder body, String message) {
        if (message != null) {
            body.append("<p class=\"message\" role=\"alert\">").append(Pages.escape(message)).append("</p>\n");
        }
    }

    private static String csrfInput(Sessions.Session session) {
        return "<input type=\"hidden\" name=\"" + CSRF + "\" value=\"" + Pages.escape(session.csrfToken()) + "\">\n";
    }

    private static String describe(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        return seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
    }

    private static boolean sameCode(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private void methodNotAllowed(HttpExchange exchange, String allow) throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        message(exchange, 405, "Method not allowed", "This page does not accept that kind of request.");
    }

    private static boolean isGet(HttpExchange exchange) {
        return "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod());
    }

    /**
     * The session of a GET; when the browser has none, a new anonymous one, which only its cookie
     * holds: a GET or HEAD without a cookie keeps nothing on the server.
     */
    private Sessions.Session session(HttpExchange exchange) {
        Optional<Sessions.Session> found = sessions.find(cookies(exchange));
        if (found.isPresent()) {
            return found.get();
        }
        Sessions.Session created = sessions.anonymous();
        exchange.getResponseHeaders().add("Set-Cookie", sessions.cookie(created));
        return created;
    }

    /** Keeps a changed session and sends the cookie that carries it. */
    private void save(HttpExchange exchange, Sessions.Session session) {
        exchange.getResponseHeaders().add("Set-Cookie", sessions.save(session));
    }

    /** The session of a POST if its CSRF token is right; otherwise answers 403 and changes nothing. */
    /** A POST's form and its session, once the CSRF token checked out. */
    private record Post(FormData form, Sessions.Session session) {
    }

    /**
     * Reads a POST's form and checks its CSRF token; empty when either failed, and then the error
     * response has been sent.
     */
    private Optional<Post> acceptPost(HttpExchange exchange) throws IOException {
        Optional<FormData> form = readForm(exchange);
        if (form.isEmpty()) {
            return Optional.empty();
        }
        return checkCsrf(exchange, form.get()).map(session -> new Post(form.get(), session));
    }

    private Optional<Sessions.Session> checkCsrf(HttpExchange exchange, FormData form) throws IOException {
        Optional<Sessions.Session> found = sessions.find(cookies(exchange));
        if (found.isEmpty() || !found.get().csrfMatches(form.single(CSRF).orElse(null))) {
            message(exchange, 403, "Request refused",
                    "This form has expired or did not come from this site. Go back, reload the page and try again.");
            return Optional.empty();
        }
        return found;
    }

    private static List<String> cookies(HttpExchange exchange) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        return headers == null ? List.of() : headers;
    }

    private static FormData query(HttpExchange exchange) {
        try {
            return FormData.parse(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            return FormData.parse(null);
        }
    }

    /** The request's form, or empty after answering 400, 413 or 415. */
    private Optional<FormData> readForm(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT)
                .startsWith("application/x-www-form-urlencoded")) {
            message(exchange, 415, "Unsupported form", "Send the form from the page.");
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        }
        if (body.length > MAX_FORM_BYTES) {
            message(exchange, 413, "Form too large", "The form sent too much data.");
            return Optional.empty();
        }
        try {
            return Optional.of(FormData.parse(new String(body, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            message(exchange, 400, "Malformed form", "The form could not be read.");
            return Optional.empty();
        }
    }

    /**
     * The user-code rate-limit key of a request: the peer address. The demo trusts no proxy
     * header (RFC 9700 §4.13); behind a proxy, use the address its trusted header names.
     */
    private static String attemptKey(HttpExchange exchange) {
        return "ip:" + exchange.getRemoteAddress().getAddress().getHostAddress();
    }
}
