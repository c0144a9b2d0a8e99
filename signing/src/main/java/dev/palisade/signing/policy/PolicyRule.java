package dev.palisade.signing.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What images matching {@code images} must satisfy.
 *
 * @param images glob patterns over {@code registry/repository}: {@code *} stays within one path
 *     component, {@code **} crosses them
 * @param transparencyLogRequired refuse bundles without a transparency-log entry
 * @param trustedRoot the Sigstore trusted root for keyless signers (null: only the CLI's --trusted-root)
 */
public record PolicyRule(String name, List<String> images, List<Identity> identities, boolean transparencyLogRequired,
    List<AttestationRequirement> attestations, Path trustedRoot) {

  public PolicyRule {
    images = List.copyOf(images);
    identities = List.copyOf(identities);
    attestations = List.copyOf(attestations);
  }

  public boolean covers(String repositoryPath) {
    for (String image : images) {
      if (glob(image).matcher(repositoryPath).matches()) {
        return true;
      }
    }
    return false;
  }

  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
