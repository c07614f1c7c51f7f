package dev.vigil.llmsim;

import dev.vigil.llmsim.impl.LlmSimServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * An LLM provider API SIMULATOR: the Anthropic Messages API and the OpenAI Chat Completions API (JSON and SSE
 * streaming, tool use, token counts, API-key check, fault modes) answered by a deterministic scripted "model"
 * ({@link KubectlScript} unless {@link LlmSimOptions#setScript} says otherwise). There is no language model in it.
 * For tests and the demo only — never production.
 */
public interface LlmSim {

  /** Starts a simulator; the future completes once it listens. */
  static Future<LlmSim> start(Vertx vertx, LlmSimOptions options) {
    return LlmSimServer.start(vertx, new LlmSimOptions(options));
  }

  /** The bound port. */
  int port();

  /** {@code http://host:port} (or {@code https://} with TLS), without a trailing slash. */
  String url();

  /** Requests received so far (oldest first, bounded), including rejected ones. */
  List<RecordedRequest> requests();

  /** Forgets the recorded requests. */
  void clearRequests();

  /** Ends open streams and stops listening. */
  Future<Void> close();
}
