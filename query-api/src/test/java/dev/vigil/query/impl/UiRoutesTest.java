package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The UI's static routes: files, content types, the security headers on every answer, no listing, GET/HEAD only. */
class UiRoutesTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    UiRoutes.mount(router);
    router.route("/api/*").handler(ctx -> ctx.response().setStatusCode(401).end());
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void rootServesThePageWithTheStrictHeaders() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(r.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
    assertSecurityHeaders(r);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
  }

  @Test
  void theContractPolicyExactly() {
    assertThat(UiRoutes.CONTENT_SECURITY_POLICY).isEqualTo("default-src 'self'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'");
  }

  @Test
  void everyFileThePageLoadsIsServedWithItsType() throws Exception {
    String[][] files = {
        {"/ui/app.js", "text/javascript"}, {"/ui/api.js", "text/javascript"}, {"/ui/dom.js", "text/javascript"},
        {"/ui/player.js", "text/javascript"}, {"/ui/views/login.js", "text/javascript"},
        {"/ui/views/search.js", "text/javascript"}, {"/ui/views/session.js", "text/javascript"},
        {"/ui/views/alerts.js", "text/javascript"}, {"/ui/views/common.js", "text/javascript"}, {"/ui/style.css", "text/css"},
    };
    for (String[] f : files) {
      HttpResponse<String> r = get(f[0]);
      assertThat(r.statusCode()).as(f[0]).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(f[0]).hasValueSatisfying(v -> assertThat(v).startsWith(f[1]));
      assertSecurityHeaders(r);
    }
  }

  @Test
  void everyModuleImportResolves() throws Exception {
    Pattern imports = Pattern.compile("from '(\\./|\\.\\./)([^']+)'");
    for (String module : new String[] {"/ui/app.js", "/ui/views/session.js", "/ui/views/search.js", "/ui/views/alerts.js",
        "/ui/views/login.js", "/ui/views/common.js", "/ui/player.js"}) {
      String dir = module.substring(0, module.lastIndexOf('/') + 1);
      Matcher m = imports.matcher(get(module).body());
      while (m.find()) {
        String target = URI.create("http://x" + dir).resolve(m.group(1) + m.group(2)).getPath();
        assertThat(get(target).statusCode()).as("%s imports %s", module, target).isEqualTo(200);
      }
    }
  }

  @Test
  void noInlineScriptOrStyleInThePage() throws Exception {
    String page = get("/").body();
    assertThat(page).doesNotContain("<style").doesNotContain("style=").doesNotContainPattern("<script(?![^>]*src=)")
        .doesNotContainPattern("\\son[a-z]+=");
  }

  @Test
  void missingFilesAndDirectoriesAre404WithTheHeaders() throws Exception {
    for (String path : new String[] {"/ui/nope.js", "/ui/views/", "/ui/.hidden"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).doesNotContain("<a href").doesNotContain("project");
      assertSecurityHeaders(r);
    }
    // dot segments (plain or %-encoded) are removed before routing: /ui/../pom.xml is /pom.xml, no UI route at all
    for (String path : new String[] {"/ui/../pom.xml", "/ui/%2e%2e/%2e%2e/pom.xml", "/ui/..%2f..%2fpom.xml"}) {
      HttpResponse<String> outside = get(path);
      assertThat(outside.statusCode()).as(path).isEqualTo(404);
      assertThat(outside.body()).as(path).doesNotContain("project");
    }
    // a directory without its slash is redirected to it (StaticHandler), which is a 404: never a listing
    HttpResponse<String> dir = get("/ui/views");
    assertThat(dir.statusCode()).isEqualTo(301);
    assertThat(dir.headers().firstValue("Location")).hasValue("/ui/views/");
    assertSecurityHeaders(dir);
  }

  @Test
  void onlyGetAndHead() throws Exception {
    HttpResponse<String> head = send("HEAD", "/ui/app.js");
    assertThat(head.statusCode()).isEqualTo(200);
    assertSecurityHeaders(head);
    assertThat(send("POST", "/ui/app.js").statusCode()).isIn(404, 405);
    assertThat(send("PUT", "/").statusCode()).isIn(404, 405);
  }

  @Test
  void revalidationWithLastModified() throws Exception {
    HttpResponse<String> first = get("/ui/app.js");
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
    HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(uri("/ui/app.js")).header("If-Modified-Since", lastModified).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);
    assertSecurityHeaders(again);
  }

  private static void assertSecurityHeaders(HttpResponse<?> r) {
    assertThat(r.headers().firstValue("Content-Security-Policy")).as(r.uri().toString()).hasValue(UiRoutes.CONTENT_SECURITY_POLICY);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).as(r.uri().toString()).hasValue("no-referrer");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
