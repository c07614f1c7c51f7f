package dev.vigil.proxy.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

/** Shared plumbing of the kubectl ITs: run the real kubectl with an isolated HOME, read a session back from Kafka. */
final class KubectlRuns {

  private KubectlRuns() {}

  /** Starts kubectl with its own HOME under {@code dir}; stdin from {@code stdin}, or nothing. */
  static Process start(Path dir, Path kubeconfig, File stdin, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", Files.createDirectories(dir.resolve("home-" + System.nanoTime())).toString());
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(stdin != null ? stdin : new File("/dev/null")));
    return pb.start();
  }

  /** The outcome of a finished kubectl run. */
  record Result(int exit, String stdout, String stderr) {}

  /** Runs kubectl to completion (bounded) and captures its output. */
  static Result run(Path dir, Path kubeconfig, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "kubectl", ".out");
    Path err = Files.createTempFile(dir, "kubectl", ".err");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=20s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", Files.createDirectories(dir.resolve("home-" + System.nanoTime())).toString());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl did not finish: " + cmd);
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The events of session {@code sessionKey} from the start of partition 0 of {@code topic}, until {@code done} matched. */
  static List<VigilEvent> consume(String bootstrap, String topic, String sessionKey, Predicate<VigilEvent> done) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<VigilEvent> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
          if (sessionKey.equals(raw.key())) {
            VigilEvent e = VigilSerdes.events().decode(raw.value());
            out.add(e);
            if (done.test(e)) {
              return out;
            }
          }
        }
      }
    }
    return out;
  }
}
