package dev.vigil.proxy.impl;

import dev.vigil.proxy.ProxyConfig;

/**
 * Bounds on what the gateway records of one stream (watch, followed logs, exec/attach/port-forward).
 *
 * @param maxFrames         frames recorded per call; later ones are counted and summarised by one marker frame
 * @param maxFrameBytes     bytes kept per frame; the rest is counted ({@code originalSize}) and flagged truncated
 * @param logDelayMillis    a log frame is cut when no more bytes arrived for this long (one line per frame, typically)
 * @param logCoalesceBytes  complete log lines arriving together are coalesced into one frame up to this size
 */
record StreamLimits(int maxFrames, int maxFrameBytes, long logDelayMillis, int logCoalesceBytes) {

  StreamLimits {
    if (maxFrames < 0 || maxFrameBytes < 0 || logDelayMillis <= 0 || logCoalesceBytes <= 0) {
      throw new IllegalArgumentException("invalid stream limits: frames " + maxFrames + ", frame bytes " + maxFrameBytes
          + ", log delay " + logDelayMillis + " ms, log coalesce bytes " + logCoalesceBytes);
    }
  }

  static StreamLimits from(ProxyConfig config) {
    return new StreamLimits(config.streamsMaxFrames(), config.streamsMaxFrameBytes(),
        config.streamsLogCoalesceDelay().toMillis(), config.streamsLogCoalesceBytes());
  }
}
