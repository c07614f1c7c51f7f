package dev.vigil.query.impl;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The analyst UI: static files from the classpath folder {@code ui/} (query-api/src/main/resources/ui), served at
 * {@code /} (the page) and {@code /ui/*} (its scripts and style sheet). No build step, no third-party code: plain HTML,
 * CSS and ES modules that call the JSON API with the bearer token the analyst pasted.
 *
 * <p>Every response of these routes, including their 404s, carries the strict {@link #CONTENT_SECURITY_POLICY}
 * (scripts and styles only from this origin, no inline code, no frames, no plugins), {@code X-Content-Type-Options:
 * nosniff}, {@code Referrer-Policy: no-referrer} and {@code Cache-Control: no-cache} (the browser revalidates with
 * {@code ETag}/{@code Last-Modified}, so a new version is picked up at once without fingerprinted file names).
 * Directory listings are off and hidden files are never served. Only {@code GET} and {@code HEAD} are answered.
 */
public final class UiRoutes {

  /** The policy of the issue 6 contract: nothing runs or loads that is not a file of this UI. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";
  /** Classpath folder holding the UI's files. */
  static final String WEB_ROOT = "ui";

  private UiRoutes() {}

  /** Adds {@code GET|HEAD /} and {@code GET|HEAD /ui/*} to {@code router}; call it before any catch-all route. */
  public static void mount(Router router) {
    StaticHandler files = StaticHandler.create(WEB_ROOT)
        .setIndexPage("index.html")
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setFilesReadOnly(true)
        .setCachingEnabled(true)
        .setEnableRangeSupport(false)
        .setDefaultContentEncoding("UTF-8");
    router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(UiRoutes::securityHeaders).handler(files);
    router.route("/ui/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(UiRoutes::securityHeaders).handler(files);
  }

  /** The headers of every UI response, set again just before the head is written so no later handler drops them. */
  static void securityHeaders(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    putSecurityHeaders(response);
    ctx.addHeadersEndHandler(v -> {
      putSecurityHeaders(response);
      response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    });
    ctx.next();
  }

  private static void putSecurityHeaders(HttpServerResponse response) {
    response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.putHeader("X-Content-Type-Options", "nosniff");
    response.putHeader("Referrer-Policy", "no-referrer");
    response.putHeader("X-Frame-Options", "DENY");
    response.putHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.putHeader("Cross-Origin-Resource-Policy", "same-origin");
  }
}
