package dev.palisade.testing;

import java.nio.file.Path;

/**
 * A tagged image inside an OCI image layout directory.
 *
 * @param layout the layout directory (holds {@code oci-layout}, {@code index.json}, {@code blobs/})
 * @param tag the {@code org.opencontainers.image.ref.name} of the manifest in {@code index.json}
 */
public record OciImage(Path layout, String tag) {

    /** {@code LAYOUT:TAG}, how umoci names it. */
    public String umociReference() {
        return layout + ":" + tag;
    }

    /** {@code oci:LAYOUT:TAG}, how skopeo names it. */
    public String skopeoReference() {
        return Skopeo.oci(layout, tag);
    }

    public OciImage withTag(String newTag) {
        return new OciImage(layout, newTag);
    }
}
