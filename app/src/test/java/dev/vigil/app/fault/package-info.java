/**
 * The fault-injection suite (issue 9): {@code *IT} tests that break one part of the running pipeline under load and
 * then reconcile, record by record, what the upstream saw (kube-sim's request log), what Kafka holds (read_committed)
 * and what OpenSearch holds. Each test builds its own pipeline on loopback ({@link dev.vigil.app.fault.FaultStack}:
 * its own Kafka broker, kube-sim, a dev OIDC issuer, the real proxy); the embedded OpenSearch node is shared by the
 * test JVM and every test indexes under its own prefix ({@code fault-<name>-*}). Callers ({@link
 * dev.vigil.app.fault.Load}) each have their own token and label every call, so a call can be followed from the
 * caller's answer to the upstream, to Kafka, to OpenSearch.
 *
 * <ul>
 *   <li>{@code BrokerOutageIT}: the broker stops mid-load and restarts on the same port and data directory. Strict:
 *       the upstream saw exactly the calls answered 200, every one of them is in Kafka, the others got 503.
 *       Best effort: every call answered 200; upstream − Kafka == the RequestReceived losses the RecordingGap events
 *       report; OpenSearch == Kafka (by id and by count).</li>
 *   <li>{@code IndexerKillIT}: the indexer runs as a child JVM ({@code vigil indexer}) and is SIGKILLed mid-load, then
 *       restarted: the events, sessions and alerts indices hold exactly Kafka's ids, once each.</li>
 *   <li>{@code StreamsKillIT}: the stream processors (child JVM, exactly-once) are SIGKILLed mid-load and restarted on
 *       the same state directory: every session key's events are cut, in order, into CLOSED sessions whose counts add
 *       up and whose signed chains verify; the first-namespace-access alerts are exactly one per caller and new
 *       namespace, none repeated.</li>
 *   <li>{@code OpenSearchOutageIT}: the indexer (child JVM) reaches OpenSearch through a TCP relay that is cut for a
 *       few seconds: nothing is indexed meanwhile, {@code /readyz} answers 503, the backlog drains afterwards with
 *       nothing lost, duplicated or dead-lettered, and the retry counter moved.</li>
 *   <li>{@code PoisonRecordsIT}: garbage and truncated Avro records written between valid events reach the DLQ from the
 *       indexer and from the stream processors (reason headers, source offsets); every valid event is indexed and
 *       sessionized. A record with an unknown schema fingerprint is dead-lettered by the stream processors
 *       ({@code unknown-schema=dlq}) while the indexer, by design, blocks that partition at that record.</li>
 * </ul>
 *
 * <p>Run it: {@code mvn -B -pl app -am verify -Dit.test='dev.vigil.app.fault.*IT' -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}. Larger: add
 * {@code -Dvigil.fault.scale=10} (default 1, the CI size): every load phase makes {@code scale} times more calls;
 * outages keep their length. Child JVM logs are kept in {@code app/target/fault-logs/}.
 */
package dev.vigil.app.fault;
