/**
 * Signing and verification for Palisade: Sigstore bundles (v0.3) holding DSSE-wrapped in-toto
 * statements or message signatures, signed with an ECDSA P-256 key ({@code keys}, {@code sign}) or
 * keyless through sigstore-java ({@code keyless}); stored as OCI referrers the way cosign v3 does
 * ({@code oci}); verified against a trust policy ({@code verify}, {@code policy}).
 */
package dev.palisade.signing;
