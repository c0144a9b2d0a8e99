package dev.palisade.signing.verify;

/** One bundle did not pass; the image may still pass on another bundle. */
public final class BundleRejection extends Exception {
  private static final long serialVersionUID = 1L;

  private final Failure failure;

  public BundleRejection(Failure failure, String reason) {
    super(reason, null, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
