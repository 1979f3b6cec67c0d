/**
 * V8's heap in the web and worker processes. Most garbage dies young, so a 2 MB young generation
 * (instead of up to 16 MB per semi-space) costs little, and the old generation grows 30 % past what
 * survived a full collection instead of up to 4×. Measured (README, benchmarks): a web process
 * peaks near 125 MB under load instead of ~240 MB at the same CPU per page (1 MB and 20 % cost
 * ~15 % more CPU); a 1,000,000-row import near 270 MB instead of ~355 MB. No hard limit: a large
 * postcard upload is parsed in a web process and must not hit one.
 */
export const SMALL_HEAP_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=30'];
