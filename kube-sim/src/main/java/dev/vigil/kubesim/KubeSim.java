package dev.vigil.kubesim;

import dev.vigil.kubesim.impl.KubeSimServer;
import dev.vigil.kubesim.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * A Kubernetes API server simulator that real kubectl accepts: discovery, CRUD, patch, watch,
 * pod logs, exec/attach/port-forward (a sandboxed pretend shell and server, nothing of the host),
 * Table output, protobuf request bodies. For tests and the demo only — never production.
 */
public interface KubeSim {

  /** Starts a simulator; the future completes once it listens. */
  static Future<KubeSim> start(Vertx vertx, KubeSimOptions options) {
    return KubeSimServer.start(vertx, new KubeSimOptions(options));
  }

  /** The bound port. */
  int port();

  /** {@code https://host:port} (or {@code http://} without TLS). */
  String url();

  /** The object store, to seed and inspect objects programmatically. */
  ObjectStore store();

  /** Synthetic pod logs; set your own lines per pod/container. */
  PodLogs podLogs();

  /** Requests received so far (oldest first, bounded), including rejected ones. */
  List<RecordedRequest> requests();

  /** Forgets the recorded requests. */
  void clearRequests();

  /** Applies {@link DemoSeed} to the store. */
  default KubeSim seedDemo() {
    DemoSeed.apply(store());
    return this;
  }

  /** Ends open watches, log streams and exec/attach/port-forward sessions and stops listening. */
  Future<Void> close();
}
