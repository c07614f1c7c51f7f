package dev.vigil.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The process's Prometheus registry. The services record their own meters ({@code vigil.*}, exposed as
 * {@code vigil_*}) on {@link Metrics#globalRegistry} so no library has to be handed a registry; {@link #prometheus()}
 * joins that global registry once, so whatever is recorded there is scraped from every management server of the
 * process. Vert.x's own metrics (HTTP server/client, event bus, pools) join it through {@link #vertx}.
 */
public final class VigilMetrics {

  private static PrometheusMeterRegistry prometheus;

  private VigilMetrics() {}

  /** The process's Prometheus registry, created (with JVM metrics) and added to the global registry on first use. */
  public static synchronized PrometheusMeterRegistry prometheus() {
    if (prometheus == null) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      @SuppressWarnings("resource") // lives as long as the process
      JvmGcMetrics gc = new JvmGcMetrics();
      gc.bindTo(registry);
      Metrics.addRegistry(registry);
      prometheus = registry;
    }
    return prometheus;
  }

  /** Where the services record their own meters. */
  public static MeterRegistry registry() {
    return Metrics.globalRegistry;
  }

  /** A Vert.x instance whose metrics (HTTP server and client, pools, event bus) are recorded in {@link #prometheus()}. */
  public static Vertx vertx(VertxOptions options) {
    PrometheusMeterRegistry registry = prometheus();
    return Vertx.builder()
        .with(options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }
}
