package dev.vigil.llmsim.impl;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes replies, applying the fault modes that act on the body: {@link Faults#DISCONNECT_MID_STREAM} closes the
 * connection after {@code cut} events (or half the JSON body, announced with its full length), {@link
 * Faults#MALFORMED_SSE} sends event {@code cut} with its data cut in half (or half the JSON body) and then ends the
 * response normally. Stops writing when the client has gone.
 */
final class ReplyWriter {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyWriter.class);

  private final Vertx vertx;
  private final long chunkDelayMillis;

  ReplyWriter(Vertx vertx, long chunkDelayMillis) {
    this.vertx = vertx;
    this.chunkDelayMillis = chunkDelayMillis;
  }

  void json(RoutingContext ctx, int status, JsonObject body, Faults fault) {
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      return;
    }
    String text = body.encode();
    response.setStatusCode(status).putHeader("content-type", "application/json");
    if (fault == Faults.DISCONNECT_MID_STREAM) {
      response.putHeader("content-length", String.valueOf(text.getBytes(StandardCharsets.UTF_8).length));
      response.write(text.substring(0, text.length() / 2))
          .onComplete(r -> ctx.request().connection().close());
    } else if (fault == Faults.MALFORMED_SSE) {
      response.end(text.substring(0, text.length() / 2)).onFailure(e -> gone(ctx, e));
    } else {
      response.end(text).onFailure(e -> gone(ctx, e));
    }
  }

  void stream(RoutingContext ctx, List<SseFrame> frames, Faults fault, int cut) {
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      return;
    }
    response.setStatusCode(200).setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache");
    int cutAt = Math.max(1, Math.min(cut, frames.size() - 1));
    write(ctx, frames, 0, fault, cutAt);
  }

  private void write(RoutingContext ctx, List<SseFrame> frames, int i, Faults fault, int cutAt) {
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      return; // the client went away: nothing more to send
    }
    if (i == cutAt && fault == Faults.DISCONNECT_MID_STREAM) {
      ctx.request().connection().close();
      return;
    }
    if (i == cutAt && fault == Faults.MALFORMED_SSE) {
      response.end(frames.get(i).malformed().text()).onFailure(e -> gone(ctx, e));
      return;
    }
    if (i == frames.size() - 1) {
      response.end(frames.get(i).text()).onFailure(e -> gone(ctx, e));
      return;
    }
    // the next event goes out once this one is written: a disconnect then never loses what was already sent
    response.write(frames.get(i).text()).onComplete(written -> {
      if (written.failed()) {
        gone(ctx, written.cause());
      } else if (chunkDelayMillis > 0) {
        vertx.setTimer(chunkDelayMillis, id -> write(ctx, frames, i + 1, fault, cutAt));
      } else {
        write(ctx, frames, i + 1, fault, cutAt);
      }
    });
  }

  private static void gone(RoutingContext ctx, Throwable e) {
    LOG.debug("llm-sim could not write to {} {}: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
  }
}
