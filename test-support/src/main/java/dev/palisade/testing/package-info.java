/**
 * Test harness with real parts: Debian's distribution registry, {@code umoci} and
 * {@code skopeo}, driven from JUnit 5.
 *
 * <p>Why real tools: the project reads images made by other people's tools and talks to other
 * people's registries. Fakes written by us would share our misunderstandings; these binaries do
 * not. A missing binary fails the test with the Debian package to install (see
 * {@link dev.palisade.testing.RequiredBinaries}); nothing is ever skipped.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RegistryExtension registry = RegistryExtension.tlsWithBasicAuth();
 *
 * @Test
 * void pushesAnImage(@TempDir Path work) {
 *     Umoci umoci = Umoci.create();
 *     OciImage image = umoci.newImage(work.resolve("layout"), "v1");
 *     umoci.insertFile(image, "/etc/motd", "hi\n".getBytes(UTF_8), History.createdBy("COPY motd /etc/motd"));
 *     umoci.insertWhiteout(image, "/etc/motd", History.createdBy("RUN rm /etc/motd"));
 *     try (Skopeo skopeo = Skopeo.create()) {
 *         skopeo.copy(image.skopeoReference(), registry.dockerTransport("demo/app", "v1"),
 *                 SkopeoOption.pushTo(registry));
 *     }
 *     // then read it back over registry.baseUri() with registry.sslContext() and registry.credentials()
 * }
 * }</pre>
 */
package dev.palisade.testing;
