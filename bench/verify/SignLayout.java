import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.keys.KeyPairFiles;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.oci.LayoutReferrerStore;
import dev.palisade.signing.sign.Attester;
import dev.palisade.signing.sign.KeyArtifactSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Bench helper (run with the scanner jar on the class path): a key pair under DIR/release, then an
 * image signature plus CycloneDX and SLSA attestations attached as referrers to the image the
 * layout's index.json lists first (the only image: run before any referrer is attached).
 * Usage: java -cp scanner.jar SignLayout.java LAYOUT KEYDIR
 */
public class SignLayout {
  public static void main(String[] args) throws Exception {
    Path layout = Path.of(args[0]);
    char[] password = "bench".toCharArray();
    KeyPairFiles.Written keys = KeyPairFiles.generate(Path.of(args[1]).resolve("release"), password);
    Attester attester = new Attester(new KeyArtifactSigner(PemKeys.readPrivateKey(keys.privateKey(), password),
        PemKeys.readPublicKey(keys.publicKey())));
    var entry = BundleJson.MAPPER.readTree(Files.readAllBytes(layout.resolve("index.json"))).path("manifests").get(0);
    Descriptor image = Descriptor.of(entry.path("mediaType").asText(), Digest.parse(entry.path("digest").asText()),
        entry.path("size").asLong());
    String name = "bench.example/palisade/app";
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    LayoutReferrerStore store = new LayoutReferrerStore(layout);
    store.attach(image, attester.signImage(name, image.digest()), created);
    store.attach(image, attester.attest(name, image.digest(), PredicateTypes.CYCLONEDX_BOM,
        BundleJson.MAPPER.readTree("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[]}")), created);
    store.attach(image, attester.attest(name, image.digest(), PredicateTypes.SLSA_PROVENANCE_V1,
        BundleJson.MAPPER.readTree("{\"buildDefinition\":{\"buildType\":\"bench\",\"externalParameters\":{}}}")), created);
    System.out.println(keys.publicKey());
  }
}
