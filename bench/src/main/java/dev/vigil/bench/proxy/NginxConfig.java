package dev.vigil.bench.proxy;

import java.nio.file.Path;

/**
 * nginx as a plain TLS reverse proxy in front of kube-sim: TLS listener, HTTP/1.1 keep-alive to the client and to a
 * keep-alive upstream pool (https, the dev CA verified), unbuffered in both directions (streams pass straight
 * through, bodies up to 4 MiB held in memory), no access log. It replaces the caller's Authorization with the gateway's
 * token — what any proxy in front of an API server must do — and does nothing else.
 */
final class NginxConfig {

  /**
   * @param dir       nginx's prefix directory (pid file, temp paths, error log)
   * @param port      TLS listen port on 127.0.0.1
   * @param upstream  kube-sim's port on 127.0.0.1
   * @param tokenFile file holding the gateway's upstream bearer token (read into the config, never logged)
   */
  record Settings(Path dir, int port, Path certFile, Path keyFile, int upstream, Path caFile, String token,
      int workers) {}

  private NginxConfig() {}

  static String render(Settings s) {
    if (s.token().isBlank() || s.token().chars().anyMatch(c -> c <= ' ' || c == '"' || c == ';' || c == '\\')) {
      throw new IllegalArgumentException("the upstream token must be a plain bearer token");
    }
    String d = s.dir().toAbsolutePath().toString();
    return String.join("\n",
        "worker_processes " + s.workers() + ";",
        "pid " + d + "/nginx.pid;",
        "error_log " + d + "/error.log warn;",
        "events { worker_connections 4096; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + d + "/client_body;",
        "  proxy_temp_path " + d + "/proxy_temp;",
        "  fastcgi_temp_path " + d + "/fastcgi_temp;",
        "  uwsgi_temp_path " + d + "/uwsgi_temp;",
        "  scgi_temp_path " + d + "/scgi_temp;",
        "  keepalive_timeout 120s;",
        "  keepalive_requests 1000000;",
        "  client_max_body_size 4m;",
        "  client_body_buffer_size 4m;",
        "  upstream kube_sim {",
        "    server 127.0.0.1:" + s.upstream() + ";",
        "    keepalive 256;",
        "    keepalive_requests 1000000;",
        "    keepalive_timeout 120s;",
        "  }",
        "  server {",
        "    listen 127.0.0.1:" + s.port() + " ssl;",
        "    ssl_certificate " + s.certFile().toAbsolutePath() + ";",
        "    ssl_certificate_key " + s.keyFile().toAbsolutePath() + ";",
        "    ssl_protocols TLSv1.2 TLSv1.3;",
        "    ssl_session_cache shared:SSL:10m;",
        "    location / {",
        "      proxy_pass https://kube_sim;",
        "      proxy_http_version 1.1;",
        "      proxy_set_header Connection \"\";",
        "      proxy_set_header Host $http_host;",
        "      proxy_set_header Authorization \"Bearer " + s.token() + "\";",
        "      proxy_buffering off;",
        "      proxy_request_buffering off;",
        "      proxy_read_timeout 3600s;",
        "      proxy_send_timeout 3600s;",
        "      proxy_ssl_trusted_certificate " + s.caFile().toAbsolutePath() + ";",
        "      proxy_ssl_verify on;",
        "      proxy_ssl_name localhost;",
        "      proxy_ssl_session_reuse on;",
        "    }",
        "  }",
        "}",
        "");
  }
}
