/** Load drivers and measurement harnesses run by {@code bench/run.sh}; results go to {@code docs/BENCHMARKS.md}. */
package dev.vigil.bench;
