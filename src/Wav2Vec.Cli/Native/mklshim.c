/* The MKL inside libtorch asks mkl_serv_intel_cpu_true() before choosing its kernels and takes a slow generic path
   when the answer is no, as on AMD CPUs. Preloaded (LD_PRELOAD), this answer lets it pick the AVX2/AVX-512 kernels
   the CPU reports. Opt-in through WAV2VEC_MKL_SHIM=1 in the wav2vec launcher; see docs/performance.md. */
int mkl_serv_intel_cpu_true(void) { return 1; }
