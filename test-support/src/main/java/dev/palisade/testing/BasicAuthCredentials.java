package dev.palisade.testing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A throwaway username and password for one test registry.
 *
 * <p>Random per registry so that a test which passes only because it ignored credentials (or
 * used someone else's) cannot pass by accident. {@link #toString()} never prints the password.
 *
 * @param username letters, digits and dashes only
 * @param password URL-safe base64 characters only, so it survives any quoting
 */
public record BasicAuthCredentials(String username, String password) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static BasicAuthCredentials random() {
        byte[] user = new byte[4];
        byte[] secret = new byte[18];
        RANDOM.nextBytes(user);
        RANDOM.nextBytes(secret);
        return new BasicAuthCredentials("palisade-" + HexFormat.of().formatHex(user),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The value after {@code "Basic "} in an Authorization header, and the {@code auth} of a config.json. */
    public String base64() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A complete {@code Authorization} header value. */
    public String authorizationHeader() {
        return "Basic " + base64();
    }

    @Override
    public String toString() {
        return "BasicAuthCredentials[username=" + username + ", password=***]";
    }
}
