package dev.vigil.streams.notify;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.Alert;

/**
 * Delivers one poll's alerts to one webhook, in order: filter (severity, types) → skip ids already delivered → POST with
 * retries where {@link RetryPolicy} says so. Returns what was given up. Once an alert exhausted its retries, the next
 * one gets a single attempt (a probe); if that fails too, the webhook counts as unavailable and the rest of this poll is
 * given up without attempts ({@link GiveUp#WEBHOOK_UNAVAILABLE}). A success ends the probing.
 */
final class WebhookDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

  private record Failure(String code, String detail) {}

  private final WebhookSettings webhook;
  private final WebhookClient client;
  private final RetryPolicy policy;
  private final int maxAttempts;
  private final DeliveredIds delivered;
  private final Shutdown shutdown;
  private final Counters counters;

  WebhookDelivery(WebhookSettings webhook, WebhookClient client, RetryPolicy policy, int maxAttempts, int dedupeMaxEntries,
      Shutdown shutdown, Counters counters) {
    this.webhook = webhook;
    this.client = client;
    this.policy = policy;
    this.maxAttempts = maxAttempts;
    this.delivered = new DeliveredIds(dedupeMaxEntries);
    this.shutdown = shutdown;
    this.counters = counters;
  }

  String name() {
    return webhook.name();
  }

  /** Delivers {@code alerts}; returns the give-ups. Throws {@link Shutdown.Closed} when the notifier closes meanwhile. */
  List<GiveUp> deliver(List<AlertBatch.Polled> alerts) {
    List<GiveUp> gaveUp = new ArrayList<>();
    boolean probing = false;
    boolean down = false;
    for (AlertBatch.Polled polled : alerts) {
      Alert alert = polled.alert();
      String id = alert.getAlertId();
      if (!webhook.accepts(alert)) {
        counters.filtered.incrementAndGet();
      } else if (delivered.contains(id)) {
        counters.duplicatesSkipped.incrementAndGet();
        LOG.debug("Webhook {}: alert {} was delivered before, skipped", webhook.name(), id);
      } else if (down) {
        gaveUp.add(giveUp(polled, new Failure(GiveUp.WEBHOOK_UNAVAILABLE, "not attempted: the webhook failed every attempt "
            + "for earlier alerts of this poll")));
      } else {
        Failure failure = attempt(alert, probing ? 1 : maxAttempts);
        if (failure == null) {
          delivered.add(id);
          counters.delivered.incrementAndGet();
          probing = false;
        } else {
          gaveUp.add(giveUp(polled, failure));
          if (failure.code().equals(GiveUp.RETRIES_EXHAUSTED)) {
            down = probing;
            probing = true;
          }
        }
      }
    }
    return gaveUp;
  }

  /** Null when delivered, else why not. */
  private Failure attempt(Alert alert, int attempts) {
    byte[] body = client.body(webhook, alert);
    for (int attempt = 1; ; attempt++) {
      shutdown.checkOpen();
      WebhookClient.Outcome outcome = client.send(webhook, alert.getAlertId(), body);
      switch (outcome.kind()) {
        case DELIVERED:
          LOG.debug("Webhook {}: alert {} delivered ({})", webhook.name(), alert.getAlertId(), outcome.detail());
          return null;
        case REJECTED:
          return new Failure(GiveUp.REJECTED, outcome.detail());
        default:
          break;
      }
      if (attempt >= attempts) {
        return new Failure(GiveUp.RETRIES_EXHAUSTED, outcome.detail() + " (attempt " + attempt + " of " + attempts + ")");
      }
      long delay = policy.delayMillis(attempt, outcome.retryAfterMillis());
      counters.retries.incrementAndGet();
      LOG.warn("Webhook {} ({}): alert {} failed (attempt {} of {}): {}; retrying in {} ms{}", webhook.name(),
          webhook.redactedUrl(), alert.getAlertId(), attempt, attempts, outcome.detail(), delay,
          outcome.retryAfterMillis() > policy.maxMillis() ? " (Retry-After asked for more; capped at max-backoff)" : "");
      shutdown.sleep(delay);
    }
  }

  private GiveUp giveUp(AlertBatch.Polled polled, Failure failure) {
    counters.gaveUp.incrementAndGet();
    Alert alert = polled.alert();
    LOG.error("Webhook {} ({}): gave up on alert {} ({} {}, {}-{}@{}): {}: {}", webhook.name(), webhook.redactedUrl(),
        alert.getAlertId(), alert.getSeverity(), alert.getType(), polled.record().topic(), polled.record().partition(),
        polled.record().offset(), failure.code(), failure.detail());
    return new GiveUp(polled.record(), alert.getAlertId(), webhook.name(), failure.code(), failure.detail());
  }
}
