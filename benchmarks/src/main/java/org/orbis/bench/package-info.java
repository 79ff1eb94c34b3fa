/**
 * Benchmarks of the platform, run with {@code bench/run <name>}. Each prints its figures and a ratio against a
 * baseline measured in the same run, because the machines are shared and noisy.
 */
package org.orbis.bench;
