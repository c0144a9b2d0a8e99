package dev.palisade.signing.keyless;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.BundleJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where the OIDC identity token for keyless signing comes from, in order: GitHub Actions' token
 * endpoint ({@code ACTIONS_ID_TOKEN_REQUEST_URL} + {@code &audience=sigstore}, authorised by {@code
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN}; the job needs {@code permissions: id-token: write}), then the
 * {@code SIGSTORE_ID_TOKEN} variable, then a file. Tokens are never taken from argv or printed.
 */
public final class IdentityTokens {

  public static final String ACTIONS_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
  public static final String ACTIONS_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
  public static final String TOKEN_VARIABLE = "SIGSTORE_ID_TOKEN";

  private IdentityTokens() {}

  /** @param tokenFile may be null */
  public static String find(Map<String, String> environment, Path tokenFile) throws SigningException {
    String actionsUrl = environment.get(ACTIONS_URL);
    String actionsToken = environment.get(ACTIONS_TOKEN);
    if (actionsUrl != null && !actionsUrl.isEmpty()) {
      if (actionsToken == null || actionsToken.isEmpty()) {
        throw new SigningException(ACTIONS_URL + " is set but " + ACTIONS_TOKEN + " is not: does the job have 'permissions: id-token: write'?");
      }
      return fromActions(actionsUrl, actionsToken);
    }
    String variable = environment.get(TOKEN_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return variable.strip();
    }
    if (tokenFile != null) {
      try {
        String text = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
        if (text.isEmpty()) {
          throw new SigningException("identity token file " + tokenFile + " is empty");
        }
        return text;
      } catch (IOException e) {
        throw new SigningException("cannot read identity token file " + tokenFile + ": " + e.getMessage());
      }
    }
    throw new SigningException("no OIDC identity token: run in GitHub Actions with id-token: write, or set "
        + TOKEN_VARIABLE + ", or give a token file");
  }

  private static String fromActions(String url, String bearer) throws SigningException {
    String full = url + (url.contains("?") ? "&" : "?") + "audience=" + URLEncoder.encode("sigstore", StandardCharsets.UTF_8);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(full))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + bearer)
          .header("Accept", "application/json")
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      // The request URL and bearer are secrets of the job: no message quotes them.
      if (response.statusCode() != 200) {
        throw new SigningException("the GitHub Actions token endpoint answered " + response.statusCode());
      }
      JsonNode value = BundleJson.readTree(response.body()).get("value");
      if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
        throw new SigningException("the GitHub Actions token endpoint sent no token value");
      }
      return value.textValue();
    } catch (IOException | IllegalArgumentException e) {
      throw new SigningException("cannot fetch the OIDC token from the GitHub Actions token endpoint: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SigningException("interrupted while fetching the OIDC token");
    }
  }
}
