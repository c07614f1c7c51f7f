package dev.vigil.streams.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Identity;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.chain.Ed25519Keys;
import dev.vigil.schema.chain.HashChain;
import dev.vigil.schema.chain.SessionVerifier;

class HashChainTest {

  private static final String SESSION = "agent-1#e-1";
  private static final byte[] V1 = "first event".getBytes(StandardCharsets.UTF_8);
  private static final byte[] V2 = {(byte) 0xC3, 0x01, 0x00, (byte) 0xFF, 's', 'e', 'c', 'o', 'n', 'd'};

  private static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  @Test
  void shouldMatchAVectorComputedIndependently() throws Exception {
    byte[] h0 = sha256(("vigil-session-chain-v1\n" + SESSION).getBytes(StandardCharsets.UTF_8));
    byte[] h1 = sha256(h0, V1);
    byte[] h2 = sha256(h1, V2);

    assertThat(HashChain.genesis(SESSION)).isEqualTo(h0);
    assertThat(HashChain.head(SESSION, List.of(V1, V2))).isEqualTo(h2);
    assertThat(HashChain.heads(SESSION, List.of(V1, V2))).containsExactly(h1, h2);
    // the same vector from `printf ... | openssl dgst -sha256 -binary` (see the README's recipe)
    assertThat(HashChain.hex(h0)).isEqualTo("8ebb3d4ae33ce2710ae0415b4ab9377d6903c2debf42a1074e63ebf37a25c305");
    assertThat(HashChain.hex(HashChain.head(SESSION, List.of(V1))))
        .isEqualTo("d9d1d5873cec1fbcefdb079920c6b061306fad5c748ad61d895f22bf23514171");
    assertThat(HashChain.hex(HashChain.head(SESSION, List.of(V1, V2))))
        .isEqualTo("32ad03ff176c40a200a655c77fc92d6d58467dfc8110d6c9839fd8fb36ef2fca");
    assertThat(HashChain.head(SESSION, List.of())).isEqualTo(h0);
    assertThat(HashChain.verify(SESSION, List.of(V1, V2), HashChain.hex(h2).toUpperCase())).isTrue();
    assertThat(HashChain.verify(SESSION, List.of(V2, V1), HashChain.hex(h2))).isFalse();
  }

  @Test
  void shouldSignTheDocumentedMessage() {
    assertThat(new String(HashChain.signedMessage(SESSION, 2, "ab12"), StandardCharsets.UTF_8))
        .isEqualTo("vigil-session-digest-v1\nagent-1#e-1\n2\nab12\n");
  }

  @Test
  void shouldReportTheFirstDivergentIndex() {
    List<byte[]> original = values(5);
    List<String> trusted = HashChain.heads(SESSION, original).stream().map(HashChain::hex).toList();
    assertThat(HashChain.firstDivergentIndex(SESSION, original, trusted)).isEqualTo(-1);

    List<byte[]> modified = new ArrayList<>(original);
    byte[] changed = original.get(3).clone();
    changed[changed.length - 1] ^= 1;
    modified.set(3, changed);
    assertThat(HashChain.firstDivergentIndex(SESSION, modified, trusted)).isEqualTo(3);

    List<byte[]> reordered = new ArrayList<>(original);
    reordered.set(1, original.get(2));
    reordered.set(2, original.get(1));
    assertThat(HashChain.firstDivergentIndex(SESSION, reordered, trusted)).isEqualTo(1);

    List<byte[]> removed = new ArrayList<>(original);
    removed.remove(2);
    assertThat(HashChain.firstDivergentIndex(SESSION, removed, trusted)).isEqualTo(2);

    List<byte[]> lastRemoved = new ArrayList<>(original.subList(0, 4));
    assertThat(HashChain.firstDivergentIndex(SESSION, lastRemoved, trusted)).isEqualTo(4);

    assertThat(HashChain.firstDivergentIndex("agent-1#other", original, trusted)).isZero();
  }

  @Test
  void shouldVerifyASignedSummaryAndDetectTampering() {
    KeyPair keys = Ed25519Keys.generate();
    Ed25519Signer signer = new Ed25519Signer(keys.getPrivate(), "k1");
    List<byte[]> values = values(3);
    String head = HashChain.hex(HashChain.head(SESSION, values));
    String sig = Base64.getEncoder().encodeToString(signer.sign(HashChain.signedMessage(SESSION, 3, head)));
    SessionSummary closed = summary(3, head, sig);

    assertThat(SessionVerifier.verify(closed, values, keys.getPublic()).valid()).isTrue();

    List<byte[]> tampered = new ArrayList<>(values);
    tampered.remove(1);
    SessionVerifier.Result r = SessionVerifier.verify(closed, tampered, keys.getPublic());
    assertThat(r.valid()).isFalse();
    assertThat(r.countMatches()).isFalse();
    assertThat(r.headMatches()).isFalse();
    assertThat(r.signatureValid()).isTrue();

    SessionSummary forged = summary(3, HashChain.hex(HashChain.head(SESSION, tampered)), sig);
    SessionVerifier.Result f = SessionVerifier.verify(forged, tampered, keys.getPublic());
    assertThat(f.signatureValid()).isFalse();
    assertThat(f.problems()).anyMatch(p -> p.contains("signature"));

    assertThat(SessionVerifier.verify(closed, values, Ed25519Keys.generate().getPublic()).signatureValid()).isFalse();
    assertThat(SessionVerifier.verify(summary(3, head, null), values, keys.getPublic()).problems())
        .containsExactly("the session is CLOSED but not signed");
  }

  private static List<byte[]> values(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(HexFormat.of().parseHex("c301" + "0102030405060708" + String.format("%02x", i) + "aa"));
    }
    return out;
  }

  private static SessionSummary summary(long count, String head, String signature) {
    return SessionSummary.newBuilder()
        .setSessionId(SESSION).setSessionKey("agent-1")
        .setIdentity(Identity.newBuilder().setSubject("s").setUsername("agent-1").build())
        .setFirstEventTime(java.time.Instant.EPOCH).setLastEventTime(java.time.Instant.EPOCH)
        .setEventCount(count).setStatus(SessionStatus.CLOSED).setHeadDigest(head)
        .setSignature(signature).setSigningKeyId("k1").build();
  }
}
