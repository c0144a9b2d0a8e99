package dev.palisade.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * One running instance of Debian's distribution registry ({@code /usr/bin/docker-registry}) on a
 * free {@code 127.0.0.1} port, with its storage, config and log in a private temp directory.
 *
 * <p>Why the real registry rather than a fake: the project's client must cope with what real
 * registries do (redirects, chunked uploads, auth challenges, media-type negotiation), and a fake
 * only does what its author already knew. {@link RegistryExtension} manages one per test class;
 * use this class directly when a test needs several, or needs to control their lifetime.
 *
 * <p>{@link #close()} sends SIGTERM, waits for the process to exit (killing it after
 * {@link #STOP_GRACE}), and deletes the temp directory. A JVM shutdown hook kills it too if the
 * test JVM dies first.
 */
public final class TestRegistry implements RegistryEndpoint, AutoCloseable {

    /** How long a registry may take to answer {@code /v2/}; it is usually ready in ~0.1 s. */
    public static final Duration START_DEADLINE = Duration.ofSeconds(15);
    /** How long a registry may take to exit after SIGTERM before it is killed. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 30;

    private final RegistryFlavour flavour;
    private final Path workDir;
    private final Path storageDir;
    private final Path logFile;
    private final TlsMaterial tls;
    private final BasicAuthCredentials credentials;
    private final Path authFile;
    private final Path certDir;
    private int port;
    private Process process;
    private Thread shutdownHook;
    private boolean closed;

    private TestRegistry(RegistryFlavour flavour, Path workDir, TlsMaterial tls, BasicAuthCredentials credentials) {
        this.flavour = flavour;
        this.workDir = workDir;
        this.storageDir = workDir.resolve("storage");
        this.logFile = workDir.resolve("registry.log");
        this.tls = tls;
        this.credentials = credentials;
        this.authFile = workDir.resolve("auth.json");
        this.certDir = workDir.resolve("certs.d");
    }

    /**
     * Starts a registry and returns once {@code GET /v2/} answers (200 for {@link
     * RegistryFlavour#PLAIN}, 401 for {@link RegistryFlavour#TLS_WITH_BASIC_AUTH}).
     *
     * @throws IllegalStateException when a binary is missing or the registry does not come up;
     *     the message includes the tail of the registry's log
     */
    public static TestRegistry start(RegistryFlavour flavour) {
        Path binary = RequiredBinaries.dockerRegistry();
        boolean secured = flavour == RegistryFlavour.TLS_WITH_BASIC_AUTH;
        if (secured) {
            RequiredBinaries.openssl();
            RequiredBinaries.htpasswd();
        }
        Path workDir = FileTrees.createTempDirectory("palisade-registry-");
        TestRegistry registry = null;
        try {
            TlsMaterial tls = secured ? TlsMaterial.generate(Files.createDirectory(workDir.resolve("tls"))) : null;
            BasicAuthCredentials credentials = secured ? BasicAuthCredentials.random() : null;
            registry = new TestRegistry(flavour, workDir, tls, credentials);
            registry.launch(binary);
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            if (registry != null) {
                registry.close();
            } else {
                FileTrees.deleteRecursively(workDir);
            }
            throw e;
        }
    }

    private void launch(Path binary) throws IOException {
        Files.createDirectories(storageDir);
        Files.createDirectories(certDir);
        Path htpasswd = null;
        if (credentials != null) {
            htpasswd = workDir.resolve("htpasswd");
            Files.writeString(htpasswd, HtpasswdFile.entry(credentials));
            Files.copy(tls.certificatePem(), certDir.resolve("ca.crt"));
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String httpSecret = HexFormat.of().formatHex(secret);
        Path config = workDir.resolve("config.yml");
        for (int attempt = 1; ; attempt++) {
            port = freeLoopbackPort();
            FileTrees.writeString(authFile, authFileJson());
            FileTrees.writeString(config, RegistryConfigYaml.render(port, storageDir, httpSecret, tls, htpasswd));
            process = startProcess(binary, config);
            registerShutdownHook();
            if (awaitReady()) {
                return;
            }
            String log = FileTrees.readTail(logFile, LOG_TAIL_LINES);
            if (attempt < PORT_ATTEMPTS && log.contains("address already in use")) {
                stopProcess(); // another process took the port between probe and bind: try another
                continue;
            }
            throw new IllegalStateException("docker-registry exited with status " + process.exitValue()
                    + " before answering on " + baseUri() + "; log " + logFile + ":\n" + log);
        }
    }

    private Process startProcess(Path binary, Path config) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", config.toString());
        // REGISTRY_* variables override the config file; a stray one must not change the test.
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.redirectInput(new File("/dev/null"));
        builder.directory(workDir.toFile());
        return builder.start();
    }

    /**
     * Polls {@code /v2/} until it gives the expected status. Returns false when the process died
     * (the caller reads the log); throws when the deadline passes with the process still alive.
     */
    private boolean awaitReady() {
        HttpClient client = newHttpClient();
        int expected = credentials == null ? 200 : 401;
        URI probe = baseUri().resolve("/v2/");
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        String lastAnswer = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == expected) {
                    return true;
                }
                lastAnswer = "HTTP " + response.statusCode();
            } catch (IOException e) {
                lastAnswer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry at " + probe, e);
            }
            sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("docker-registry did not answer " + probe + " with HTTP " + expected
                + " within " + START_DEADLINE + " (last: " + lastAnswer + "); log " + logFile + ":\n"
                + FileTrees.readTail(logFile, LOG_TAIL_LINES));
    }

    /** A fresh client that trusts this registry's certificate (if any); it sends no credentials. */
    public HttpClient newHttpClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            builder.sslContext(tls.sslContext());
        }
        return builder.build();
    }

    public RegistryFlavour flavour() {
        return flavour;
    }

    @Override
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean isTls() {
        return tls != null;
    }

    /** @throws IllegalStateException for a registry without auth */
    public BasicAuthCredentials credentials() {
        if (credentials == null) {
            throw new IllegalStateException("a " + flavour + " registry has no credentials");
        }
        return credentials;
    }

    /** @throws IllegalStateException for a registry without TLS */
    public TlsMaterial tls() {
        if (tls == null) {
            throw new IllegalStateException("a " + flavour + " registry has no TLS material");
        }
        return tls;
    }

    @Override
    public Path skopeoAuthFile() {
        return authFile;
    }

    @Override
    public Path skopeoCertDir() {
        return certDir;
    }

    /** The registry's filesystem storage root, for tests that inspect or corrupt blobs on disk. */
    public Path storageDir() {
        return storageDir;
    }

    /** Registry stdout and stderr; deleted with everything else on {@link #close()}. */
    public Path logFile() {
        return logFile;
    }

    /** The last lines of the log, for failure messages. */
    public String logTail(int lines) {
        return FileTrees.readTail(logFile, lines);
    }

    /** The registry process, e.g. to assert it has exited. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /** Stops the registry (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) and deletes its files. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopProcess();
        } finally {
            removeShutdownHook();
            FileTrees.deleteRecursively(workDir);
        }
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessRunner.killTree(process);
            }
        } catch (InterruptedException e) {
            ProcessRunner.killTree(process);
            Thread.currentThread().interrupt();
        }
    }

    private void registerShutdownHook() {
        removeShutdownHook();
        Process running = process;
        shutdownHook = new Thread(running::destroyForcibly, "stop docker-registry on " + host());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void removeShutdownHook() {
        if (shutdownHook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is running or has run.
        }
        shutdownHook = null;
    }

    private String authFileJson() {
        if (credentials == null) {
            return "{\"auths\":{}}\n";
        }
        return "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + credentials.base64() + "\"}}}\n";
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "TestRegistry[" + flavour + " at " + baseUri() + (closed ? ", closed" : "") + "]";
    }
}
