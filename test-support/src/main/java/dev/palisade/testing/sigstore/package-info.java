/**
 * A local Sigstore for tests, because the public one cannot be reached from here: a Fulcio-like
 * certificate authority whose certificates carry SCTs from a local CT log, a Rekor-like
 * transparency log (RFC 6962 Merkle tree, inclusion proofs, signed checkpoints, SETs), and a trusted
 * root describing them. It is faithful when sigstore-java's unmodified {@code KeylessVerifier},
 * given {@link LocalSigstore#writeTrustedRoot}, accepts the bundles {@link LocalSigstore} makes
 * (see the signing module's LocalSigstoreFaithfulnessTest).
 *
 * <p>{@link LocalSigstore} makes bundles in-process; {@link LocalSigstoreServers} serves the same
 * stack on loopback (Fulcio v2 gRPC over TLS, Rekor v1 and v2 REST, an RFC 3161 TSA) with a signing
 * config, so sigstore-java's unmodified {@code KeylessSigner} signs against it; tokens come from
 * {@link LocalOidcIssuer}.
 */
package dev.palisade.testing.sigstore;
