package dev.palisade.testing;

import java.net.http.HttpClient;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real registry (see {@link TestRegistry}).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RegistryExtension registry = RegistryExtension.tlsWithBasicAuth();
 * }</pre>
 *
 * <p>On a {@code static} field the registry lives from before the first test of the class to
 * after the last one (one start per class keeps the suite fast). On an instance field it lives
 * for each test. Whoever started it stops it: a {@code @Nested} class reuses its outer class's
 * registry and does not stop it early.
 *
 * <p>When a test fails the tail of the registry log is printed to stderr (the temp directory and
 * the log are deleted afterwards), because it usually explains the failure: auth refused, blob
 * unknown, manifest invalid.
 */
public final class RegistryExtension
        implements RegistryEndpoint, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final int FAILURE_LOG_LINES = 60;

    private final RegistryFlavour flavour;
    private TestRegistry running;
    private String startedByContextId;

    private RegistryExtension(RegistryFlavour flavour) {
        this.flavour = flavour;
    }

    /** Plain HTTP, no auth. */
    public static RegistryExtension plain() {
        return new RegistryExtension(RegistryFlavour.PLAIN);
    }

    /** HTTPS with a self-signed certificate for 127.0.0.1, and basic auth with random credentials. */
    public static RegistryExtension tlsWithBasicAuth() {
        return new RegistryExtension(RegistryFlavour.TLS_WITH_BASIC_AUTH);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfStopped(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startIfStopped(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        printLogIfFailed(context);
        stopIfStartedBy(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        printLogIfFailed(context);
        stopIfStartedBy(context);
    }

    /** Runs after every failed test (and failed class setup), while the log still exists. */
    private synchronized void printLogIfFailed(ExtensionContext context) {
        if (running != null && context.getExecutionException().isPresent()) {
            System.err.println("[palisade] " + running + " log (" + running.logFile() + ") after failure of "
                    + context.getDisplayName() + ":\n" + running.logTail(FAILURE_LOG_LINES));
        }
    }

    private synchronized void startIfStopped(ExtensionContext context) {
        if (running == null) {
            running = TestRegistry.start(flavour);
            startedByContextId = context.getUniqueId();
        }
    }

    private synchronized void stopIfStartedBy(ExtensionContext context) {
        if (running == null || !context.getUniqueId().equals(startedByContextId)) {
            return;
        }
        try {
            running.close();
        } finally {
            running = null;
            startedByContextId = null;
        }
    }

    /**
     * The running registry.
     *
     * @throws IllegalStateException outside the registry's lifetime, e.g. when the extension was
     *     not registered with {@code @RegisterExtension}
     */
    public synchronized TestRegistry registry() {
        if (running == null) {
            throw new IllegalStateException("the " + flavour + " registry is not running: register the extension"
                    + " with @RegisterExtension and use it only inside tests or lifecycle methods");
        }
        return running;
    }

    public RegistryFlavour flavour() {
        return flavour;
    }

    @Override
    public String host() {
        return registry().host();
    }

    @Override
    public boolean isTls() {
        return flavour == RegistryFlavour.TLS_WITH_BASIC_AUTH;
    }

    public String username() {
        return registry().credentials().username();
    }

    /** A throwaway password; never log it anyway, so that copied test code stays safe. */
    public String password() {
        return registry().credentials().password();
    }

    public BasicAuthCredentials credentials() {
        return registry().credentials();
    }

    /** The self-signed certificate in PEM; it is its own CA. */
    public Path caCertificate() {
        return registry().tls().certificatePem();
    }

    /** PKCS12 truststore holding only {@link #caCertificate()}. */
    public Path truststore() {
        return registry().tls().truststore();
    }

    public String truststorePassword() {
        return registry().tls().truststorePassword();
    }

    /** Trusts only this registry's certificate; for {@link java.net.http.HttpClient.Builder#sslContext}. */
    public SSLContext sslContext() {
        return registry().tls().sslContext();
    }

    /** A client set up to trust this registry (sends no credentials by itself). */
    public HttpClient newHttpClient() {
        return registry().newHttpClient();
    }

    @Override
    public Path skopeoAuthFile() {
        return registry().skopeoAuthFile();
    }

    @Override
    public Path skopeoCertDir() {
        return registry().skopeoCertDir();
    }

    public Path storageDir() {
        return registry().storageDir();
    }

    public Path logFile() {
        return registry().logFile();
    }

    @Override
    public String toString() {
        TestRegistry current = running;
        return "RegistryExtension[" + (current == null ? flavour + ", stopped" : current.toString()) + "]";
    }
}
