package dev.vigil.proxy.impl;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * The gateway's HTTP/1.1 request decoder: Vert.x's own, made strict where request smuggling and slow clients live.
 * <ul>
 *   <li>{@code Transfer-Encoding: chunked} together with {@code Content-Length} fails the head (Netty would drop the
 *       Content-Length and read the body as chunked: RFC 9112 6.1 allows it, but a gateway in front of another parser
 *       should not guess) — through Netty's documented extension point
 *       {@link #handleTransferEncodingChunkedWithContentLength};</li>
 *   <li>a request head not complete {@code request-header-timeout} after its first byte (slowloris) fails with 408;</li>
 *   <li>every failed head carries a {@link RequestHeadException} saying what the caller gets and whether the request
 *       line was read, for {@link MalformedRequests} (Vert.x's {@code invalidRequestHandler}) to answer and record.</li>
 * </ul>
 * Vert.x offers no public hook for its decoder, so {@link #install} replaces it in the connection's pipeline from the
 * server's connection handler, before the first request byte is decoded. That uses Vert.x internals
 * ({@code io.vertx.core.http.impl}); should they change, {@link #install} fails closed (the connection is closed and
 * an error logged) rather than serve requests without these checks — the attack suite pins the behaviour.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  /** The name Vert.x gives its HTTP/1.x request decoder in the pipeline. */
  static final String NAME = "httpDecoder";
  private static final Logger LOG = LoggerFactory.getLogger(StrictRequestDecoder.class);

  private final long headerTimeoutMillis;
  private final int maxHeaderBytes;
  private final int maxLineBytes;
  /** The request whose line was read and whose headers are being read; null between heads. */
  private HttpMessage current;
  private boolean inHead;
  private boolean inBody;
  /** A refusal was passed on: everything the caller sends afterwards is dropped (the connection is being closed). */
  private boolean refused;
  private ScheduledFuture<?> deadline;

  StrictRequestDecoder(HttpServerOptions options, long headerTimeoutMillis) {
    super(options);
    this.headerTimeoutMillis = headerTimeoutMillis;
    this.maxHeaderBytes = options.getMaxHeaderSize();
    this.maxLineBytes = options.getMaxInitialLineLength();
  }

  /**
   * Replaces Vert.x's decoder on a new HTTP/1.x connection (an HTTP/2 connection has none and is left alone). True when
   * the connection may serve requests; false when it was closed because the decoder could not be replaced.
   */
  static boolean install(HttpConnection conn, HttpServerOptions options, long headerTimeoutMillis) {
    if (!(conn instanceof HttpServerConnection internal)) {
      LOG.error("Cannot install the strict HTTP/1.1 request decoder on {}: closing the connection", conn.getClass());
      conn.close();
      return false;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    ChannelHandler decoder = pipeline.get(NAME);
    if (decoder == null) {
      return true; // HTTP/2: framing is Netty's HTTP/2 codec's, no Transfer-Encoding
    }
    if (decoder.getClass() != VertxHttpRequestDecoder.class) {
      LOG.error("Unexpected HTTP/1.1 request decoder {}: closing the connection", decoder.getClass());
      conn.close();
      return false;
    }
    pipeline.replace(NAME, NAME, new StrictRequestDecoder(options, headerTimeoutMillis));
    return true;
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    current = super.createMessage(initialLine);
    return current;
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new IllegalArgumentException(RequestHeadException.chunkedWithContentLength());
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (!inHead && !inBody && in.isReadable()) {
      inHead = true;
      arm(ctx);
    }
    int from = out.size();
    super.decode(ctx, in, out);
    inspect(out, from);
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int from = out.size();
    super.decodeLast(ctx, in, out);
    inspect(out, from);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.handlerRemoved0(ctx);
  }

  /** Follows heads and bodies through what the decoder produced; a failed head gets its {@link RequestHeadException}. */
  private void inspect(List<Object> out, int from) {
    for (int i = from; i < out.size(); i++) {
      Object msg = out.get(i);
      if (msg instanceof HttpRequest request) {
        inHead = false;
        inBody = true;
        cancel();
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
          Throwable cause = result.cause() instanceof IllegalArgumentException iae
              && iae.getCause() instanceof RequestHeadException r ? r : result.cause();
          boolean lineParsed = request == current;
          request.setDecoderResult(DecoderResult.failure(
              RequestHeadException.from(cause, lineParsed, maxHeaderBytes, maxLineBytes)));
          if (!lineParsed) {
            request.setProtocolVersion(HttpVersion.HTTP_1_1); // the placeholder says 1.0; the answer is 1.1
          }
          refused = true;
        }
        current = null;
      }
      if (msg instanceof LastHttpContent) {
        inBody = false;
      }
    }
  }

  private void arm(ChannelHandlerContext ctx) {
    if (headerTimeoutMillis > 0) {
      deadline = ctx.executor().schedule(() -> expired(ctx), headerTimeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  /** The head is still incomplete at its deadline: the caller is refused with 408 (recorded by the gateway). */
  private void expired(ChannelHandlerContext ctx) {
    deadline = null;
    if (!inHead || refused || ctx.isRemoved()) {
      return;
    }
    if (!ctx.channel().config().isAutoRead()) {
      arm(ctx); // the server stopped reading (a response in progress): the delay is not the caller's
      return;
    }
    refused = true;
    inHead = false;
    boolean lineParsed = current != null;
    HttpMessage head = lineParsed ? current : createInvalidMessage().setProtocolVersion(HttpVersion.HTTP_1_1);
    current = null;
    head.setDecoderResult(DecoderResult.failure(RequestHeadException.timeout(headerTimeoutMillis, lineParsed)));
    ctx.fireChannelRead(head);
  }
}
