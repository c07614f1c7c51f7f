package dev.vigil.kubesim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options for {@link KubeSim#start}. Fluent and mutable; {@link KubeSim#start} takes a copy.
 *
 * <p>TLS is on when a key/cert pair is set (PEM, supplied by the caller; kube-sim never generates
 * certificates). Without one it serves plain HTTP. Auth is on when at least one token is set.
 */
public final class KubeSimOptions {

  private String host = "127.0.0.1";
  private int port;
  private PemKeyCertOptions keyCert;
  private List<String> tokens = new ArrayList<>();
  private boolean logRequests;
  private boolean seedDemo;
  private boolean simulateControllers = true;
  private Duration logFollowInterval = Duration.ofSeconds(1);
  private int maxRecordedRequests = 10_000;

  public KubeSimOptions() {}

  public KubeSimOptions(KubeSimOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.keyCert = other.keyCert == null ? null : new PemKeyCertOptions(other.keyCert);
    this.tokens = new ArrayList<>(other.tokens);
    this.logRequests = other.logRequests;
    this.seedDemo = other.seedDemo;
    this.simulateControllers = other.simulateControllers;
    this.logFollowInterval = other.logFollowInterval;
    this.maxRecordedRequests = other.maxRecordedRequests;
  }

  public String getHost() {
    return host;
  }

  public KubeSimOptions setHost(String host) {
    this.host = Objects.requireNonNull(host);
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 (default) picks a free port. */
  public KubeSimOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public PemKeyCertOptions getKeyCert() {
    return keyCert;
  }

  /** Enables TLS with this key/cert pair. */
  public KubeSimOptions setKeyCert(PemKeyCertOptions keyCert) {
    this.keyCert = keyCert;
    return this;
  }

  /** Enables TLS with a PEM private key and PEM certificate (chain). */
  public KubeSimOptions setKeyCertPem(String keyPem, String certPem) {
    this.keyCert = new PemKeyCertOptions()
        .addKeyValue(Buffer.buffer(keyPem))
        .addCertValue(Buffer.buffer(certPem));
    return this;
  }

  public boolean isTls() {
    return keyCert != null;
  }

  public List<String> getTokens() {
    return List.copyOf(tokens);
  }

  /** Accepted bearer tokens; empty = authentication off. */
  public KubeSimOptions setTokens(List<String> tokens) {
    this.tokens = new ArrayList<>(tokens);
    return this;
  }

  public KubeSimOptions addToken(String token) {
    this.tokens.add(Objects.requireNonNull(token));
    return this;
  }

  public boolean isLogRequests() {
    return logRequests;
  }

  /** Log one line per request (method, path, status; never headers or bodies). */
  public KubeSimOptions setLogRequests(boolean logRequests) {
    this.logRequests = logRequests;
    return this;
  }

  public boolean isSeedDemo() {
    return seedDemo;
  }

  /** Apply {@link DemoSeed} before the server starts listening. */
  public KubeSimOptions setSeedDemo(boolean seedDemo) {
    this.seedDemo = seedDemo;
    return this;
  }

  public boolean isSimulateControllers() {
    return simulateControllers;
  }

  /**
   * Whether deployments and replica sets get replica sets and running pods, and deleted pods are
   * replaced (default true). Off: objects are stored as written, nothing else appears.
   */
  public KubeSimOptions setSimulateControllers(boolean simulateControllers) {
    this.simulateControllers = simulateControllers;
    return this;
  }

  public Duration getLogFollowInterval() {
    return logFollowInterval;
  }

  /** Interval between synthetic lines of {@code logs -f}. */
  public KubeSimOptions setLogFollowInterval(Duration logFollowInterval) {
    this.logFollowInterval = Objects.requireNonNull(logFollowInterval);
    return this;
  }

  public int getMaxRecordedRequests() {
    return maxRecordedRequests;
  }

  /** Bound of {@link KubeSim#requests()} (oldest dropped first). */
  public KubeSimOptions setMaxRecordedRequests(int maxRecordedRequests) {
    this.maxRecordedRequests = maxRecordedRequests;
    return this;
  }

  @Override
  public String toString() {
    return "KubeSimOptions{host=" + host + ", port=" + port + ", tls=" + isTls() + ", tokens="
        + tokens.size() + " (hidden), logRequests=" + logRequests + ", seedDemo=" + seedDemo
        + ", simulateControllers=" + simulateControllers + "}";
  }
}
