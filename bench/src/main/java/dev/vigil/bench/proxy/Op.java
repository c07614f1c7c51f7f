package dev.vigil.bench.proxy;

/** The kinds of request in the mix. */
enum Op {
  /** GET of one small ConfigMap. */
  GET,
  /** LIST of a namespace holding {@link RequestMix#LIST_SIZE} ConfigMaps. */
  LIST,
  /** POST of a ~100 KiB ConfigMap ({@code dryRun=All}: validated and answered in full, not stored). */
  CREATE,
  /** A watch that delivers one event at once; its latency is the time to that first event. */
  WATCH
}
