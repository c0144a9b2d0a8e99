package dev.palisade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Watches {@link RegistryExtension} from outside: fixture classes run through the JUnit launcher,
 * record the registry they saw, and afterwards the registry process must be gone, its port closed
 * and its files deleted. (The fixtures are static nested classes, which neither Maven plugin
 * runs on its own.)
 */
class RegistryLifecycleIT {

    /** What a fixture test saw while its registry was running. */
    record Sighting(String test, int port, ProcessHandle process, Path storageDir) {
        static Sighting of(String test, RegistryExtension extension) {
            TestRegistry registry = extension.registry();
            return new Sighting(test, registry.port(), registry.processHandle(), registry.storageDir());
        }
    }

    static final List<Sighting> SIGHTINGS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void forgetEarlierSightings() {
        SIGHTINGS.clear();
    }

    @Test
    void staticExtensionServesAllTestsOfTheClassThenStopsTheRegistry() throws Exception {
        TestExecutionSummary summary = run(StaticFixture.class);

        assertEquals(3, summary.getTestsSucceededCount(), failures(summary));
        assertEquals(3, SIGHTINGS.size());
        assertEquals(1, SIGHTINGS.stream().map(Sighting::port).distinct().count(),
                "one registry for the class, reused by @Nested: " + SIGHTINGS);
        assertStopped(SIGHTINGS.get(0));
    }

    @Test
    void instanceExtensionStartsAndStopsOneRegistryPerTest() throws Exception {
        TestExecutionSummary summary = run(InstanceFixture.class);

        assertEquals(2, summary.getTestsSucceededCount(), failures(summary));
        assertEquals(2, SIGHTINGS.size());
        assertNotEquals(SIGHTINGS.get(0).process().pid(), SIGHTINGS.get(1).process().pid());
        for (Sighting sighting : SIGHTINGS) {
            assertStopped(sighting);
        }
    }

    @Test
    void registryIsStoppedEvenWhenTheTestFails() throws Exception {
        TestExecutionSummary summary = run(FailingFixture.class);

        assertEquals(1, summary.getTestsFailedCount());
        assertEquals(1, SIGHTINGS.size());
        assertStopped(SIGHTINGS.get(0));
    }

    @Test
    void accessorsOutsideTheLifetimeFailWithAHint() {
        RegistryExtension notRegistered = RegistryExtension.plain();

        IllegalStateException failure = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                notRegistered::host);
        assertTrue(failure.getMessage().contains("@RegisterExtension"), failure.getMessage());
    }

    private static void assertStopped(Sighting sighting) throws Exception {
        assertFalse(sighting.process().isAlive(), "registry process " + sighting.process().pid() + " still runs");
        assertFalse(acceptsConnections(sighting.port()), "port " + sighting.port() + " still accepts connections");
        assertFalse(Files.exists(sighting.storageDir()), sighting.storageDir() + " was not deleted");
    }

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static TestExecutionSummary run(Class<?> fixture) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        return listener.getSummary();
    }

    private static String failures(TestExecutionSummary summary) {
        StringBuilder out = new StringBuilder();
        summary.getFailures().forEach(failure -> out.append(failure.getTestIdentifier().getDisplayName())
                .append(": ").append(failure.getException()).append('\n'));
        return out.toString();
    }

    static class StaticFixture {
        @RegisterExtension
        static final RegistryExtension registry = RegistryExtension.tlsWithBasicAuth();

        @Test
        void first() {
            SIGHTINGS.add(Sighting.of("first", registry));
        }

        @Test
        void second() {
            SIGHTINGS.add(Sighting.of("second", registry));
        }

        @Nested
        class Inner {
            @Test
            void nested() {
                SIGHTINGS.add(Sighting.of("nested", registry));
            }
        }
    }

    static class InstanceFixture {
        @RegisterExtension
        final RegistryExtension registry = RegistryExtension.plain();

        @Test
        void first() {
            SIGHTINGS.add(Sighting.of("first", registry));
        }

        @Test
        void second() {
            SIGHTINGS.add(Sighting.of("second", registry));
        }
    }

    static class FailingFixture {
        @RegisterExtension
        static final RegistryExtension registry = RegistryExtension.plain();

        @Test
        void failsOnPurposeToProveTheRegistryStillStops() {
            SIGHTINGS.add(Sighting.of("failing", registry));
            fail("this fixture fails on purpose");
        }
    }
}
