package dev.vigil.streams.session;

/** Signs a closed session's digest message ({@link dev.vigil.schema.chain.HashChain#signedMessage}); implementations are thread-safe. */
public interface DigestSigner {

  /** The id published as {@code SessionSummary.signingKeyId}, naming the key a verifier must use. */
  String keyId();

  /** The raw signature of {@code message}. */
  byte[] sign(byte[] message);
}
