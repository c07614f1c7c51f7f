package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.proxy.llm.LlmCall;
import dev.vigil.proxy.llm.LlmGateway;
import dev.vigil.schema.Body;
import dev.vigil.schema.Direction;
import dev.vigil.schema.LlmRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamKind;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/** One LLM call as an {@link Exchange} of the gateway core (see {@link LlmBridge}). Event-loop confined. */
final class LlmBridgeCall implements LlmCall {

  private static final Logger LOG = LoggerFactory.getLogger(LlmBridgeCall.class);

  private final LlmBridge bridge;
  private final Exchange ex;
  private boolean requestRecorded;
  private boolean completing;

  LlmBridgeCall(LlmBridge bridge, Exchange ex) {
    this.bridge = bridge;
    this.ex = ex;
  }

  @Override
  public String requestId() {
    return ex.requestId;
  }

  @Override
  public String sessionKey() {
    return ex.sessionKey;
  }

  @Override
  public Future<Void> authenticate(String token) {
    return bridge.authenticator.authenticate("Bearer " + token).transform(ar -> {
      if (ar.failed()) {
        String why = ar.cause() instanceof AuthenticationException ? ar.cause().getMessage() : "authentication failed";
        return Future.failedFuture(new IllegalArgumentException(why));
      }
      ex.caller = ar.result();
      ex.sessionKey = SessionKeys.owner(ex.caller.username()); // kept if the session header is refused
      return Future.succeededFuture();
    });
  }

  @Override
  public void session(String header) {
    try {
      ex.sessionKey = SessionKeys.resolve(header, ex.caller);
    } catch (InvalidRequestException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public void describe(LlmRequestInfo info) {
    ex.ref = RequestRef.newBuilder(ex.ref).setLlm(info).build();
  }

  @Override
  public Future<LlmCall.Verdict> decide(Body requestBody) {
    String model = ex.ref.getLlm() == null ? null : ex.ref.getLlm().getModel();
    return bridge.policy.decideLlm(ex, model, requestBody).map(v -> {
      ex.decided(v);
      return new LlmCall.Verdict(v.allowed(), v.decision(), v.ruleId(), v.reason(), v.strict());
    });
  }

  @Override
  public Future<Void> received(MultiMap headers, Body body, int cap, PolicyDecision decision) {
    requestRecorded = true;
    Map<String, String> recorded = HeaderPolicy.forRecording(headers);
    return bridge.maskLater(ex, body, cap, true).recover(err -> {
      LOG.error("Could not mask the request of LLM call {}: recorded without its body", ex.requestId, err);
      return Future.succeededFuture(BodyMasking.Masked.NONE);
    }).compose(masked -> {
      Body b = BodyMasking.preMasked(ex, masked.body(), masked.findings());
      Future<Void> stored = bridge.recorder.received(ex, recorded, b, decision);
      if (!decision.getStrict()) {
        return Future.succeededFuture();
      }
      ex.strict = bridge.strict;
      return bridge.strict.acknowledged(stored).recover(err -> {
        bridge.strict.refuse(); // counted for /vigil/status
        return Future.failedFuture(err);
      });
    });
  }

  @Override
  public boolean requestRecorded() {
    return requestRecorded;
  }

  @Override
  public void frame(Body data) {
    if (ex.frames == null) {
      ex.frames = new FrameRecorder(ex, bridge.recorder, StreamKind.SSE, bridge.streams);
    }
    FrameRecorder frames = ex.frames;
    if (!frames.accepting()) {
      frames.skip(Direction.TO_CLIENT);
      return;
    }
    int cap = bridge.streams.maxFrameBytes();
    Body whole = data;
    if (data.getContent().length() > cap + LlmBridge.FRAME_SLACK) { // bounds the masking work for a huge event
      whole = Body.newBuilder(data).setContent(data.getContent().substring(0, cap + LlmBridge.FRAME_SLACK))
          .setTruncated(true).build();
    }
    BodyMasking.Masked masked = bridge.mask(ex, whole, cap, false);
    frames.frame(Direction.TO_CLIENT, null, null, BodyMasking.preMasked(ex, masked.body(), masked.findings()));
  }

  @Override
  public void onStrictAbort(Runnable abort) {
    ex.strictAbort = abort;
  }

  @Override
  public boolean strictEnded() {
    return ex.strictEnded;
  }

  @Override
  public void completed(int status, MultiMap headers, Map<String, String> extra, Body body, int cap, long bytesToClient,
      ResponseOutcome outcome) {
    if (completing || ex.terminalRecorded) {
      return;
    }
    completing = true;
    Map<String, String> recorded = new TreeMap<>(HeaderPolicy.forRecording(headers));
    recorded.putAll(extra);
    if (ex.strictEnded) {
      recorded.put(WebSocketRelay.STRICT_ENDED, StrictRecording.STREAM_ENDED_MESSAGE);
    }
    bridge.maskLater(ex, body, cap, false).onComplete(ar -> {
      Body b = null;
      if (ar.succeeded()) {
        b = BodyMasking.preMasked(ex, ar.result().body(), ar.result().findings());
      } else {
        LOG.error("Could not mask the reply of LLM call {}: recorded without its body", ex.requestId, ar.cause());
      }
      bridge.recorder.completed(ex, status, recorded, b, bytesToClient, outcome);
    });
  }

  @Override
  public void upstreamError(LlmGateway.UpstreamFailure failure, int statusToClient) {
    bridge.recorder.upstreamError(ex, new UpstreamFailures.Failure(failure.type(), failure.status(), failure.what(),
        failure.detail()), statusToClient);
  }
}
