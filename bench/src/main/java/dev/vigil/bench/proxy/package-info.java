/**
 * The proxy-overhead benchmark (issue 9): the same request mix sent directly to kube-sim, through nginx and through
 * Vigil (recording best-effort and strict), open-loop at fixed rates (coordinated-omission safe) and at saturation.
 */
package dev.vigil.bench.proxy;
