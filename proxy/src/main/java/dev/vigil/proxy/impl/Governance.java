package dev.vigil.proxy.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.ConfigException;
import dev.vigil.masking.Fingerprinter;
import dev.vigil.masking.Masker;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.policy.InvalidPolicyException;
import dev.vigil.proxy.policy.PolicyStore;
import io.vertx.core.Vertx;

/**
 * The gateway's policy (reloaded from its file), the label lookups its label rules need, its masking key, and the
 * fingerprints of the Secret values each session read (for the LLM channel), opened at start and closed with the proxy.
 */
final class Governance implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);
  private static final int MIN_KEY_BYTES = 32;

  private final PolicyStore store;
  private final LabelLookup labels;
  private final PolicyGate gate;
  private final BodyMasking masking;
  private final Fingerprinter fingerprinter;
  private final SecretFingerprints secretReads;

  private Governance(PolicyStore store, LabelLookup labels, Fingerprinter fingerprinter,
      SecretFingerprints secretReads, Vertx vertx) {
    this.store = store;
    this.labels = labels;
    this.secretReads = secretReads;
    this.gate = new PolicyGate(store, labels, secretReads, vertx);
    this.fingerprinter = fingerprinter;
    this.masking = new BodyMasking(new Masker(fingerprinter), secretReads);
  }

  /**
   * Loads the policy (if configured) and the masking key; label lookups go to {@code target} with the gateway's own
   * credential ({@code authorization}, the live upstream Authorization value).
   */
  static Governance open(Vertx vertx, ProxyConfig config, UpstreamTarget target, Supplier<String> authorization) {
    PolicyStore store = null;
    Path file = config.policyFile();
    if (file != null) {
      try {
        store = PolicyStore.open(file).start(config.policyReloadInterval());
      } catch (InvalidPolicyException e) {
        throw new ConfigException("Invalid policy " + file + ": " + String.join("; ", e.errors()));
      } catch (IOException e) {
        throw new ConfigException("Cannot read the policy " + file + " (" + ProxyConfig.POLICY_FILE + "): " + e.getMessage());
      }
      LOG.info("Policy {} loaded; reloaded on change every {}", file, config.policyReloadInterval());
    } else {
      LOG.warn("No policy configured ({}): every authenticated request is allowed", ProxyConfig.POLICY_FILE);
    }
    Fingerprinter fingerprinter;
    try {
      fingerprinter = new Fingerprinter(maskingKey(config.maskingKeyFile()));
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      }
      throw e;
    }
    // created with any policy: a reloaded policy may start using labels
    LabelLookup labels = store == null ? null : new LabelLookup(vertx, target, authorization, config.labelCacheTtl(),
        config.labelCacheMaxEntries(), config.labelLookupTimeout(), System::nanoTime);
    return new Governance(store, labels, fingerprinter,
        new SecretFingerprints(fingerprinter, config.secretFingerprints(), System::nanoTime), vertx);
  }

  /** The HMAC key for fingerprints: the file's bytes, or (with a warning) a random key for this process only. */
  static byte[] maskingKey(Path file) {
    if (file == null) {
      LOG.warn("No masking key configured ({}): using a random key, so fingerprints differ after a restart",
          ProxyConfig.MASKING_KEY_FILE);
      byte[] key = new byte[MIN_KEY_BYTES];
      new SecureRandom().nextBytes(key);
      return key;
    }
    try {
      byte[] key = Files.readAllBytes(file);
      if (key.length < MIN_KEY_BYTES) {
        throw new ConfigException("The masking key " + file + " (" + ProxyConfig.MASKING_KEY_FILE + ") must hold at least "
            + MIN_KEY_BYTES + " bytes");
      }
      return key;
    } catch (IOException e) {
      throw new ConfigException("Cannot read the masking key " + file + " (" + ProxyConfig.MASKING_KEY_FILE + "): "
          + e.getMessage());
    }
  }

  /**
   * For /vigil/status: the policy file, successful loads, failed reloads (the old policy stayed), the last error, and
   * the label lookups made for label-scoped rules.
   */
  io.vertx.core.json.JsonObject status() {
    io.vertx.core.json.JsonObject status = new io.vertx.core.json.JsonObject().put("configured", store != null);
    if (store != null) {
      status.put("file", store.file().toString()).put("loads", store.loaded())
          .put("reloadFailures", store.reloadFailures()).put("lastReloadError", store.lastReloadError());
    }
    status.put("labelLookups", new io.vertx.core.json.JsonObject()
        .put("requests", labels == null ? 0 : labels.requests())
        .put("cacheHits", labels == null ? 0 : labels.cacheHits())
        .put("failures", labels == null ? 0 : labels.failures()));
    return status;
  }

  PolicyGate gate() {
    return gate;
  }

  BodyMasking masking() {
    return masking;
  }

  /** The fingerprints of the Secret values each session read through Kubernetes. */
  SecretFingerprints secretFingerprints() {
    return secretReads;
  }

  /** The label lookups, or null without a policy. */
  LabelLookup labels() {
    return labels;
  }

  /** What callers under maskResponse receive: masked with the recording's key, so the fingerprints are the same. */
  ResponseMasking responseMasking(GatewayLimits limits) {
    return new ResponseMasking(fingerprinter, limits.maxMaskedResponseBytes(), secretReads);
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
    if (labels != null) {
      labels.close().onFailure(err -> LOG.warn("Closing the policy label lookup client failed: {}", err.toString()));
    }
  }
}
