package dev.vigil.proxy.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.ConfigException;
import dev.vigil.masking.Fingerprinter;
import dev.vigil.masking.Masker;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.policy.InvalidPolicyException;
import dev.vigil.proxy.policy.PolicyStore;

/** The gateway's policy (reloaded from its file) and its masking key, opened at start and closed with the proxy. */
final class Governance implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);
  private static final int MIN_KEY_BYTES = 32;

  private final PolicyStore store;
  private final PolicyGate gate;
  private final BodyMasking masking;
  private final Fingerprinter fingerprinter;

  private Governance(PolicyStore store, Fingerprinter fingerprinter) {
    this.store = store;
    this.gate = new PolicyGate(store);
    this.fingerprinter = fingerprinter;
    this.masking = new BodyMasking(new Masker(fingerprinter));
  }

  static Governance open(ProxyConfig config) {
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
    return new Governance(store, new Fingerprinter(maskingKey(config.maskingKeyFile())));
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

  PolicyGate gate() {
    return gate;
  }

  BodyMasking masking() {
    return masking;
  }

  /** What callers under maskResponse receive: masked with the recording's key, so the fingerprints are the same. */
  ResponseMasking responseMasking(GatewayLimits limits) {
    return new ResponseMasking(fingerprinter, limits.maxMaskedResponseBytes());
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
