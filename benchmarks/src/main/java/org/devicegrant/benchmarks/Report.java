package org.devicegrant.benchmarks;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.annotations.Mode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs every benchmark through JMH's Runner API, 1 and 2 threads, measures the memory per
 * pending authorization in a JVM of its own, and writes {@code benchmarks/RESULTS.md}: a table
 * of ops/s and µs/op with the date, JDK and core count, and the ratios the targets of issue 7
 * are stated in.
 *
 * <p>System properties: {@code -Dquick} (about 1–2 minutes: short iterations, N = 1,000 only;
 * for checking that the benchmarks work, not for figures), {@code -Dinclude=REGEX} (only jobs
 * whose id matches), {@code -Dresults=PATH} (default {@code benchmarks/RESULTS.md}, or
 * {@code RESULTS.md} when there is no {@code benchmarks} folder), {@code -Dverbose} (JMH's own
 * output).
 */
public final class Report {

    private static final int[] THREADS = {1, 2};
    private static final String PACKAGE = Report.class.getPackageName() + ".";

    /** One benchmark with fixed parameters: one row of the table. */
    private record Job(String id, String section, String what, String store, String benchmark,
            Map<String, String> params) {
    }

    /** What JMH measured for one job at one thread count. */
    private record Measured(double opsPerSecond, double failures, double seconds) {
        double microsPerOp(int threads) {
            return threads * 1e6 / opsPerSecond;
        }
    }

    private final boolean quick;
    private final boolean verbose;
    private final Pattern include;
    private final Map<String, Map<Integer, Measured>> results = new LinkedHashMap<>();
    private final Map<String, String> failed = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();

    private Report(boolean quick, boolean verbose, Pattern include) {
        this.quick = quick;
        this.verbose = verbose;
        this.include = include;
    }

    /**
     * Runs everything and writes the results file.
     *
     * @param args ignored; see the class documentation for the system properties
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String includeRegex = System.getProperty("include");
        Report report = new Report(System.getProperty("quick") != null, System.getProperty("verbose") != null,
                includeRegex == null ? null : Pattern.compile(includeRegex));
        Path output = Path.of(System.getProperty("results",
                Files.isDirectory(Path.of("benchmarks")) ? "benchmarks/RESULTS.md" : "RESULTS.md"));
        String started = now();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Job> jobs = report.jobs();
        System.out.printf(Locale.ROOT, "devicegrant benchmarks: %d jobs x %d thread counts%s%n", jobs.size(),
                THREADS.length, report.quick ? " (quick mode: figures are not meaningful)" : "");
        for (Job job : jobs) {
            report.run(job);
        }
        String memory = report.include == null || report.include.matcher("memory").find() ? memoryFootprint() : null;
        String markdown = report.markdown(jobs, started, load, memory);
        Files.writeString(output, markdown, StandardCharsets.UTF_8);
        System.out.println("wrote " + output.toAbsolutePath());
    }

    // ---- what runs ----

    private List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        List<StoreKind> stores = new ArrayList<>();
        for (StoreKind store : StoreKind.values()) {
            Optional<String> reason = store.unavailableReason();
            if (reason.isPresent()) {
                String line = "skipped " + store + ": " + reason.get();
                System.out.println(line);
                skipped.add(line);
            } else {
                stores.add(store);
            }
        }
        int[] ourN = quick ? new int[] {1_000} : new int[] {1_000, 100_000, 1_000_000};
        int[] peerN = quick ? new int[] {1_000} : new int[] {1_000, 100_000};

        add(jobs, "prim.random", "physical limit", "SecureRandom, 32 bytes", "-", "PrimitivesBenchmark.secureRandom32",
                Map.of());
        add(jobs, "prim.sha256", "physical limit", "SHA-256 of a device code", "-", "PrimitivesBenchmark.sha256DeviceCode",
                Map.of());
        add(jobs, "prim.hmac", "physical limit", "HMAC-SHA-256 of a user code", "-", "PrimitivesBenchmark.hmacUserCode",
                Map.of());
        for (Algorithm alg : Algorithm.values()) {
            add(jobs, "prim.sign." + alg, "physical limit", "JWS signature " + alg + " of the access token's claims", "-",
                    "SignatureBenchmark.sign", Map.of("algorithm", alg.name()));
        }
        for (StoreKind store : stores) {
            String s = store.name();
            add(jobs, "ours.authorize." + s, "devicegrant", "device authorization request", s,
                    "DeviceAuthorizationBenchmark.deviceAuthorization", Map.of("store", s));
            for (int n : ourN) {
                if (n > 100_000 && store != StoreKind.MEMORY) {
                    continue;
                }
                add(jobs, "ours.poll." + s + "." + n, "devicegrant", "poll → authorization_pending, N = " + fmt(n), s,
                        "PollBenchmark.pollPending", Map.of("store", s, "pending", Integer.toString(n)));
            }
            add(jobs, "ours.slowdown." + s, "devicegrant", "poll → slow_down", s, "SlowDownBenchmark.pollTooEarly",
                    Map.of("store", s));
            for (int n : ourN) {
                if (n > 100_000 && store != StoreKind.MEMORY) {
                    continue;
                }
                add(jobs, "ours.lookup." + s + "." + n, "devicegrant", "user-code lookup, N = " + fmt(n), s,
                        "LookupBenchmark.lookup", Map.of("store", s, "pending", Integer.toString(n)));
            }
            for (Algorithm alg : Algorithm.values()) {
                if (alg != Algorithm.ES256 && store != StoreKind.MEMORY) {
                    continue;
                }
                add(jobs, "ours.cycle." + s + "." + alg, "devicegrant", "full cycle, " + alg, s,
                        "FullCycleBenchmark.fullCycle", Map.of("store", s, "algorithm", alg.name()));
            }
        }
        for (SpringPeer.Store store : SpringPeer.Store.values()) {
            String s = store.name();
            if (store != SpringPeer.Store.MEMORY_UNCAPPED) {
                add(jobs, "peer.authorize." + s, "Spring AS", "device authorization request", s,
                        "SpringDeviceAuthorizationBenchmark.deviceAuthorization", Map.of("peerStore", s));
            }
            if (store != SpringPeer.Store.MEMORY_CAPPED) {
                for (int n : peerN) {
                    add(jobs, "peer.poll." + s + "." + n, "Spring AS", "poll → authorization_pending, N = " + fmt(n), s,
                            "SpringPollBenchmark.pollPending", Map.of("peerStore", s, "pending", Integer.toString(n)));
                }
                for (int n : peerN) {
                    if (n == 10_000) {
                        continue;
                    }
                    add(jobs, "peer.lookup." + s + "." + n, "Spring AS", "user-code lookup (store), N = " + fmt(n), s,
                            "SpringPollBenchmark.lookupInStore", Map.of("peerStore", s, "pending", Integer.toString(n)));
                }
            }
            if (store != SpringPeer.Store.MEMORY_UNCAPPED) {
                for (Algorithm alg : List.of(Algorithm.RS256, Algorithm.ES256)) {
                    add(jobs, "peer.cycle." + s + "." + alg, "Spring AS", "full cycle, " + alg, s,
                            "SpringFullCycleBenchmark.fullCycle", Map.of("peerStore", s, "algorithm", alg.name()));
                }
            }
        }
        return jobs;
    }

    private void add(List<Job> jobs, String id, String section, String what, String store, String benchmark,
            Map<String, String> params) {
        if (include == null || include.matcher(id).find()) {
            jobs.add(new Job(id, section, what, store, benchmark, params));
        }
    }

    private void run(Job job) {
        for (int threads : THREADS) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include("^" + Pattern.quote(PACKAGE + job.benchmark()) + "$")
                    .mode(Mode.Throughput)
                    .timeUnit(TimeUnit.SECONDS)
                    // quick mode runs in this JVM: it only checks that every benchmark works
                    .forks(quick ? 0 : 1)
                    .threads(threads)
                    .warmupIterations(quick ? 1 : 2)
                    .warmupTime(quick ? TimeValue.milliseconds(200) : TimeValue.seconds(1))
                    .measurementIterations(quick ? 1 : 3)
                    .measurementTime(quick ? TimeValue.milliseconds(200) : TimeValue.seconds(1))
                    .jvmArgsAppend("-Xmx3g", "-Xms3g")
                    .shouldFailOnError(true)
                    .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
            job.params().forEach(options::param);
            double seconds = quick ? 0.2 : 3.0;
            try {
                Collection<RunResult> run = new Runner(options.build()).run();
                RunResult result = run.iterator().next();
                Result<?> failures = result.getSecondaryResults().get("failures");
                Measured measured = new Measured(result.getPrimaryResult().getScore(),
                        failures == null ? 0 : failures.getScore(), seconds);
                results.computeIfAbsent(job.id(), k -> new TreeMap<>()).put(threads, measured);
                System.out.printf(Locale.ROOT, "%-44s %-16s %d thr  %,14.1f ops/s  %,12.3f µs/op%s%n", job.what(),
                        job.store(), threads, measured.opsPerSecond(), measured.microsPerOp(threads),
                        measured.failures() > 0 ? "  failures: " + fmt(Math.round(measured.failures())) : "");
            } catch (RunnerException | RuntimeException e) {
                failed.put(job.id() + " (" + threads + " thr)", String.valueOf(e.getMessage()));
                System.out.printf(Locale.ROOT, "%-44s %-16s %d thr  FAILED: %s (rerun with -Dverbose -Dinclude=%s)%n",
                        job.what(), job.store(), threads, e.getMessage(), Pattern.quote(job.id()));
            }
        }
    }

    /** Runs {@link MemoryFootprint} in a JVM of its own with 4 GiB of heap; returns its line, or why it failed. */
    private static String memoryFootprint() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx4g", "-cp", System.getProperty("java.class.path"),
                MemoryFootprint.class.getName(), Integer.toString(MemoryFootprint.DEFAULT_RECORDS))
                .redirectErrorStream(true).start();
        String line = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l; (l = out.readLine()) != null; ) {
                if (l.startsWith("bytesPerRecord=")) {
                    line = l;
                }
            }
        }
        int exit = process.waitFor();
        String result = exit == 0 && line != null ? line : "failed (exit " + exit + ")";
        System.out.println("memory per pending authorization, in-memory store: " + result);
        return result;
    }

    // ---- what is written ----

    private String markdown(List<Job> jobs, String started, double load, String memory) {
        StringBuilder md = new StringBuilder();
        md.append("# devicegrant benchmark results\n\n");
        md.append("Written by `org.devicegrant.benchmarks.Report` (see README, \"Benchmarks\"). ");
        md.append(quick ? "**Quick mode: iterations too short for figures; this run only shows that every "
                + "benchmark works.**\n\n" : "\n\n");
        md.append("- Started: ").append(started).append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
                .append(")\n");
        md.append("- Cores: ").append(Runtime.getRuntime().availableProcessors()).append("; OS: ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append("; load average at start: ").append(String.format(Locale.ROOT, "%.2f", load)).append('\n');
        md.append("- JMH: ").append(quick ? "no fork (in the Report's JVM), 1 × 200 ms warm-up, 1 × 200 ms measured"
                : "1 fork per cell, 2 × 1 s warm-up, 3 × 1 s measured, fork heap 3 GiB").append(", throughput mode\n");
        md.append("- µs/op = threads × 10⁶ ÷ ops/s: the time one operation takes on one thread.\n");
        md.append("- Connections: Redis rows share one connection between the threads (ops/s is per connection); "
                + "H2 and PostgreSQL rows use a HikariCP pool of 4; Spring's JDBC rows an H2 pool.\n");
        md.append("- Failures: share of operations that did not give the expected outcome (the peer's in-memory "
                + "store throws ConcurrentModificationException under 2 threads; see PEER-BENCH.md).\n");
        for (String line : skipped) {
            md.append("- ").append(line).append('\n');
        }
        md.append('\n');
        md.append("| side | operation | store | ops/s, 1 thread | µs/op, 1 thread | ops/s, 2 threads | µs/op, 2 threads "
                + "| failures |\n");
        md.append("|---|---|---|--:|--:|--:|--:|--:|\n");
        for (Job job : jobs) {
            Map<Integer, Measured> m = results.get(job.id());
            md.append("| ").append(job.section()).append(" | ").append(job.what()).append(" | ").append(job.store());
            for (int threads : THREADS) {
                Measured r = m == null ? null : m.get(threads);
                if (r == null) {
                    md.append(" | failed | — ");
                } else {
                    md.append(" | ").append(fmt(Math.round(r.opsPerSecond()))).append(" | ")
                            .append(micros(r.microsPerOp(threads)));
                }
            }
            md.append(" | ").append(failures(m)).append(" |\n");
        }
        md.append('\n');
        md.append("## Targets of issue 7, as ratios of this run (1 thread)\n\n");
        ratios(md);
        md.append("\n## Memory\n\n");
        md.append(memory == null ? "Not measured in this run.\n"
                : "In-memory store, pending authorizations, heap after GC ÷ records (separate JVM, -Xmx4g): `"
                        + memory + "` (target ≤ 1,024 bytes).\n");
        if (!failed.isEmpty()) {
            md.append("\n## Failed cells\n\n");
            failed.forEach((id, message) -> md.append("- ").append(id).append(": ").append(message).append('\n'));
        }
        return md.toString();
    }

    private void ratios(StringBuilder md) {
        OptionalDouble random = us("prim.random");
        OptionalDouble sha = us("prim.sha256");
        OptionalDouble hmac = us("prim.hmac");
        OptionalDouble authorize = us("ours.authorize.MEMORY");
        if (authorize.isPresent() && random.isPresent() && sha.isPresent() && hmac.isPresent()) {
            double primitives = random.getAsDouble() + sha.getAsDouble() + hmac.getAsDouble();
            line(md, "Device authorization ÷ (random + SHA-256 + HMAC)", authorize.getAsDouble() / primitives, "≤ 3");
        }
        ratio(md, "Peer device authorization (in-memory, cap 100) ÷ ours (in-memory)", "peer.authorize.MEMORY_CAPPED",
                "ours.authorize.MEMORY", "> 1");
        us("ours.poll.MEMORY.1000").ifPresent(v -> line(md, "Poll → pending, in-memory, N = 1,000, µs", v, "≤ 3"));
        flatness(md, "Poll → pending, in-memory, slowest N ÷ fastest N", "ours.poll.MEMORY.", "≤ 1.5");
        for (int n : new int[] {1_000, 100_000}) {
            ratio(md, "Peer poll (JDBC, indexed) ÷ ours (in-memory), N = " + fmt(n), "peer.poll.JDBC_INDEXED." + n,
                    "ours.poll.MEMORY." + n, "≥ 10");
        }
        us("ours.lookup.MEMORY.1000").ifPresent(v -> line(md, "User-code lookup, in-memory, N = 1,000, µs", v, "≤ 3"));
        flatness(md, "User-code lookup, in-memory, slowest N ÷ fastest N", "ours.lookup.MEMORY.", "flat");
        for (Algorithm alg : Algorithm.values()) {
            ratio(md, "Full cycle " + alg + " ÷ one " + alg + " signature (ours, in-memory)", "ours.cycle.MEMORY." + alg,
                    "prim.sign." + alg, "≤ 1.25");
        }
        for (Algorithm alg : List.of(Algorithm.RS256, Algorithm.ES256)) {
            for (String store : List.of("MEMORY_CAPPED", "JDBC_SHIPPED", "JDBC_INDEXED")) {
                ratio(md, "Peer full cycle " + alg + " (" + store + ") ÷ one " + alg + " signature",
                        "peer.cycle." + store + "." + alg, "prim.sign." + alg,
                        "none; PEER-BENCH.md found " + (alg == Algorithm.RS256 ? "1.9" : "2.5") + " at best");
            }
        }
    }

    private void ratio(StringBuilder md, String label, String numerator, String denominator, String target) {
        OptionalDouble a = us(numerator);
        OptionalDouble b = us(denominator);
        if (a.isPresent() && b.isPresent()) {
            line(md, label, a.getAsDouble() / b.getAsDouble(), target);
        }
    }

    private void flatness(StringBuilder md, String label, String prefix, String target) {
        double min = Double.MAX_VALUE;
        double max = 0;
        int count = 0;
        for (Map.Entry<String, Map<Integer, Measured>> e : results.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue().containsKey(1)) {
                double v = e.getValue().get(1).microsPerOp(1);
                min = Math.min(min, v);
                max = Math.max(max, v);
                count++;
            }
        }
        if (count > 1) {
            line(md, label, max / min, target);
        }
    }

    private static void line(StringBuilder md, String label, double value, String target) {
        md.append("- ").append(label).append(": **").append(String.format(Locale.ROOT, "%.2f", value))
                .append("** (target ").append(target).append(")\n");
    }

    private OptionalDouble us(String id) {
        Map<Integer, Measured> m = results.get(id);
        return m == null || !m.containsKey(1) ? OptionalDouble.empty() : OptionalDouble.of(m.get(1).microsPerOp(1));
    }

    private static String failures(Map<Integer, Measured> m) {
        if (m == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (int threads : THREADS) {
            Measured r = m.get(threads);
            if (r != null && r.failures() > 0) {
                double share = r.failures() / (r.opsPerSecond() * r.seconds() + r.failures()) * 100;
                s.append(s.length() == 0 ? "" : "; ").append(threads).append(" thr: ")
                        .append(String.format(Locale.ROOT, "%.1f %%", share));
            }
        }
        return s.toString();
    }

    private static String micros(double us) {
        return us >= 100 ? fmt(Math.round(us)) : String.format(Locale.ROOT, us >= 10 ? "%.1f" : "%.3f", us);
    }

    private static String fmt(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    @SuppressForbidden
    private static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'",
                Locale.ROOT));
    }
}
