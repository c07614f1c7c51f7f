package dev.vigil.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * The id of the call being handled, kept in the Vert.x context of that call. Vert.x runs each HTTP request on its own
 * duplicated context, and the callbacks of the request (futures, timers, {@code runOnContext}) run on that same
 * context, so the id follows the call across asynchronous steps without leaking to other calls. The app's log4j
 * {@code ContextDataProvider} adds it to every log event as {@code requestId}.
 */
public final class RequestIds {

  /** The log field (thread-context key) the id appears under. */
  public static final String LOG_KEY = "requestId";
  private static final Object KEY = RequestIds.class.getName() + ".requestId";

  private RequestIds() {}

  /** Binds {@code requestId} to the current request's context; does nothing off a request (not a duplicated context). */
  public static void bind(String requestId) {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      ContextInternal.LOCAL_MAP.get(internal, ConcurrentHashMap::new).put(KEY, requestId);
    }
  }

  /** The id bound to the current context, or null. */
  public static String current() {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      Map<Object, Object> locals = ContextInternal.LOCAL_MAP.get(internal);
      return locals != null && locals.get(KEY) instanceof String id ? id : null;
    }
    return null;
  }
}
